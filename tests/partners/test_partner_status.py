"""The status of a partner on any date, derived from its events, and the histories refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners import actions
from partners.models import EventKind, Partner, PartnerStatus, StatusEvent
from tests.support.factories import PartnerFactory

D = datetime.date


@pytest.fixture
def register(register_loaded_for_the_class, db):
    return Partner.objects.all()


def status(partner, on):
    """The status by both derivations, which must agree."""
    in_python = Partner.objects.prefetch_related("status_events").get(pk=partner.pk).status_on(on)
    in_sql = Partner.objects.with_status(on).get(pk=partner.pk).status
    assert in_python == in_sql, (partner, on, in_python, in_sql)
    return in_python


@pytest.mark.django_db
class TestRealHistories:
    def test_malta_suspended_in_1996_and_back_in_2008(self, register):
        malta = register.get(code="MT")
        assert status(malta, D(1995, 4, 25)) == PartnerStatus.NOT_YET_PARTNER
        assert status(malta, D(1995, 4, 26)) == PartnerStatus.ACTIVE
        assert status(malta, D(1996, 10, 1)) == PartnerStatus.SUSPENDED
        assert status(malta, D(2005, 6, 1)) == PartnerStatus.SUSPENDED
        assert status(malta, D(2008, 4, 3)) == PartnerStatus.ACTIVE
        assert malta.current_status == PartnerStatus.ACTIVE

    def test_finland_partner_until_nato_membership_in_2023(self, register):
        finland = register.get(code="FI")
        assert status(finland, D(2023, 4, 3)) == PartnerStatus.ACTIVE
        assert status(finland, D(2023, 4, 4)) == PartnerStatus.NATO_MEMBER
        assert status(finland, D(2030, 1, 1)) == PartnerStatus.NATO_MEMBER

    def test_partner_with_unrecorded_joining_date_is_active(self, register):
        australia = register.get(code="AU")
        assert status(australia, D(1950, 1, 1)) == PartnerStatus.ACTIVE
        assert australia.timeline()[0].display_date() == "date not recorded"

    def test_year_only_dates_show_the_year(self, register):
        algeria = register.get(code="DZ")
        assert algeria.timeline()[0].display_date() == "2000"

    def test_sql_and_python_agree_for_every_partner_on_many_dates(self, register):
        dates = [D(year, 6, 30) for year in range(1990, 2031, 2)]
        for on in dates:
            in_sql = dict(Partner.objects.with_status(on).values_list("code", "status"))
            for partner in Partner.objects.prefetch_related("status_events"):
                assert partner.status_on(on) == in_sql[partner.code], (partner.code, on)

    def test_register_today(self, register):
        today = dict(Partner.objects.with_status().values_list("code", "status"))
        assert len(today) == 53
        assert today["RU"] == PartnerStatus.SUSPENDED
        assert today["SE"] == PartnerStatus.NATO_MEMBER
        assert today["CH"] == PartnerStatus.ACTIVE


@pytest.mark.django_db
class TestRefusedHistories:
    def record(self, partner, kind, on):
        return actions.record_status_event(partner=partner, kind=kind, on=on, actor=None)

    @pytest.mark.parametrize(
        ("kind", "on", "message"),
        [
            (EventKind.SUSPENDED, D(1999, 12, 31), "comes before the partner joined"),
            (EventKind.BECAME_NATO_MEMBER, D(1990, 1, 1), "comes before the partner joined"),
            (EventKind.JOINED, D(2005, 1, 1), "joins only once"),
            (EventKind.REACTIVATED, D(2005, 1, 1), "is not possible for a partner whose status"),
            (EventKind.SUSPENDED, D(2000, 1, 1), "same date"),
            (EventKind.LEFT, None, "needs a date"),
        ],
    )
    def test_refused_with_a_clear_message_and_nothing_written(self, kind, on, message):
        partner = PartnerFactory()
        before = StatusEvent.objects.count()
        with pytest.raises(ValidationError) as refused:
            self.record(partner, kind, on)
        assert any(message in text for text in refused.value.messages), refused.value.messages
        assert StatusEvent.objects.count() == before

    def test_two_memberships_refused(self):
        partner = PartnerFactory(nato_member=True)
        with pytest.raises(ValidationError) as refused:
            self.record(partner, EventKind.BECAME_NATO_MEMBER, D(2015, 1, 1))
        assert "only once" in " ".join(refused.value.messages)

    def test_nothing_follows_membership(self):
        partner = PartnerFactory(nato_member=True)
        with pytest.raises(ValidationError):
            self.record(partner, EventKind.SUSPENDED, D(2015, 1, 1))

    def test_event_before_the_first_event_needs_joining_first(self):
        partner = PartnerFactory(never_joined=True)
        with pytest.raises(ValidationError) as refused:
            self.record(partner, EventKind.SUSPENDED, D(2015, 1, 1))
        assert "Not yet a partner" in " ".join(refused.value.messages)

    def test_valid_sequence_is_accepted_and_leaves_history(self, administrator):
        partner = PartnerFactory()
        event = actions.record_status_event(
            partner=partner, kind=EventKind.SUSPENDED, on=D(2001, 1, 1), actor=administrator
        )
        actions.record_status_event(
            partner=partner, kind=EventKind.REACTIVATED, on=D(2002, 1, 1), actor=administrator
        )
        assert status(partner, D(2001, 6, 1)) == PartnerStatus.SUSPENDED
        assert status(partner, D(2002, 6, 1)) == PartnerStatus.ACTIVE
        assert event.history.get().history_user == administrator

    @pytest.mark.parametrize(
        ("kind", "on"),
        [(EventKind.JOINED, D(2001, 1, 1)), (EventKind.SUSPENDED, None)],
    )
    def test_database_refuses_what_bypasses_the_rules(self, kind, on):
        partner = PartnerFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusEvent.objects.create(partner=partner, kind=kind, on=on)

    def test_database_refuses_a_second_membership(self):
        partner = PartnerFactory(nato_member=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusEvent.objects.create(
                partner=partner, kind=EventKind.BECAME_NATO_MEMBER, on=D(2020, 1, 1)
            )

    def test_database_refuses_a_bad_iso_code(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Partner.objects.create(name="Nowhere", code="x1", framework="eapc_pfp")
