"""The admin site: partners with status events inline, refusing impossible histories."""

import pytest
from django.urls import reverse

from partners.models import EventKind, StatusEvent
from tests.support.factories import PartnerFactory


def inline_data(partner, events):
    """POST data for the partner change form with ``events`` as (kind, date) rows."""
    data = {
        "name": partner.name,
        "code": partner.code,
        "framework": partner.framework,
        "notes": partner.notes,
        "status_events-TOTAL_FORMS": str(len(events)),
        "status_events-INITIAL_FORMS": "0",
        "status_events-MIN_NUM_FORMS": "0",
        "status_events-MAX_NUM_FORMS": "1000",
    }
    for index, (kind, on) in enumerate(events):
        data[f"status_events-{index}-kind"] = kind
        data[f"status_events-{index}-on"] = on
        data[f"status_events-{index}-partner"] = str(partner.pk)
    return data


@pytest.fixture
def blank_partner(db):
    from partners.models import Framework, Partner

    return Partner.objects.create(name="Testland", code="TL", framework=Framework.EAPC_PFP)


@pytest.mark.django_db
class TestPartnerAdmin:
    def test_valid_history_saved_with_history_rows(self, client_as, administrator, blank_partner):
        url = reverse("admin:partners_partner_change", args=[blank_partner.pk])
        response = client_as(administrator).post(
            url,
            inline_data(
                blank_partner,
                [(EventKind.JOINED, "1995-04-26"), (EventKind.SUSPENDED, "1996-10-01")],
            ),
        )
        assert response.status_code == 302, response.context["errors"] if response.context else ""
        assert blank_partner.status_events.count() == 2
        assert StatusEvent.history.filter(history_user=administrator).count() == 2

    @pytest.mark.parametrize(
        ("events", "message"),
        [
            (
                [(EventKind.JOINED, "2000-01-01"), (EventKind.SUSPENDED, "1999-01-01")],
                "before the partner joined",
            ),
            (
                [
                    (EventKind.JOINED, "2000-01-01"),
                    (EventKind.BECAME_NATO_MEMBER, "2004-01-01"),
                    (EventKind.BECAME_NATO_MEMBER, "2005-01-01"),
                ],
                "only once",
            ),
            ([(EventKind.SUSPENDED, "2000-01-01")], "not possible"),
        ],
    )
    def test_impossible_history_refused_and_nothing_saved(
        self, client_as, administrator, blank_partner, events, message
    ):
        url = reverse("admin:partners_partner_change", args=[blank_partner.pk])
        response = client_as(administrator).post(url, inline_data(blank_partner, events))
        assert response.status_code == 200
        assert message in response.text
        assert blank_partner.status_events.count() == 0

    def test_changelist_filters_by_current_status(self, client_as, administrator, register):
        url = reverse("admin:partners_partner_changelist")
        response = client_as(administrator).get(url, {"status": "suspended"})
        assert response.status_code == 200
        assert [p.code for p in response.context["cl"].result_list] == ["RU"]
        response = client_as(administrator).get(url, {"q": "malta"})
        assert [p.code for p in response.context["cl"].result_list] == ["MT"]

    def test_each_field_of_a_status_event_row_is_named(self, client_as, administrator):
        """The tabular inline heads its columns but labels no field: each row's fields carry
        their label (axe-core's label and select-name, checked in the browser journey)."""
        partner = PartnerFactory()
        url = reverse("admin:partners_partner_change", args=[partner.pk])
        formset = client_as(administrator).get(url).context["inline_admin_formsets"][0].formset
        assert formset.forms
        for form in formset.forms:
            named = {
                name: str(field.widget.attrs["aria-label"])
                for name, field in form.fields.items()
                if "aria-label" in field.widget.attrs
            }
            assert named == {
                "kind": "Event",
                "on": "Date",
                "year_only": "Year only",
                "note": "Note",
                "DELETE": "Delete",
            }
            assert 'aria-label="Event"' in str(form["kind"])
