"""Lists of programmes and planned activities sort their partners by the name the reader sees
(``partners.models.shown_name``): in French, "Moldavie" before "République de Corée", although
"Korea" comes before "Moldova" in English."""

import datetime

import pytest
from django.utils import translation

from partners.models import shown_name
from programmes.dashboard import ending_without_successor
from programmes.models import Programme, ProgrammeStatus
from tests.support.factories import PartnerFactory, assigned_officer, programme_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes(approver):
    made = []
    for name, name_fr, code in (
        ("Korea", "République de Corée", "KR"),
        ("Moldova", "Moldavie", "MD"),
    ):
        partner = PartnerFactory(name=name, name_fr=name_fr, code=code)
        made.append(
            programme_in_status(
                ProgrammeStatus.AGREED,
                officer=assigned_officer(partner),
                approver=approver,
                partner=partner,
                start_year=2023,
            )
        )
    return made


def codes(queryset):
    return [programme.partner.code for programme in queryset]


def in_shown_order():
    """Built in the reader's language, as a request builds it: the order is chosen then."""
    return Programme.objects.select_related("partner").order_by(shown_name("partner__"))


def test_programmes_in_the_readers_order(programmes):
    with translation.override("en"):
        assert codes(in_shown_order()) == ["KR", "MD"]
    with translation.override("fr"):
        assert codes(in_shown_order()) == ["MD", "KR"]


def test_the_dashboards_ending_list_in_the_readers_order(programmes, viewer):
    today = datetime.date(2026, 6, 1)
    with translation.override("en"):
        assert codes(ending_without_successor(viewer, today)) == ["KR", "MD"]
    with translation.override("fr"):
        assert codes(ending_without_successor(viewer, today)) == ["MD", "KR"]
