"""Dates as Brussels writes them: day-month-year and a 24-hour clock in English (pfp/formats/en),
Django's own formats in French; one style per kind of place (tables short, headings, facts and
history long)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from partners.forms import StatusDateForm
from pfp.roles import Role
from programmes.models import Goal, Objective, PlannedActivity, Programme
from tests.support.factories import (
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    programme_in_status,
)

# An afternoon late in November: American formats would write "11/26/2026" and "2:30 p.m.".
MOMENT = timezone.make_aware(datetime.datetime(2026, 11, 26, 14, 30))

MONTH_FIRST = re.compile(r"\b(0?[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/\d{4}\b")
AMERICAN = re.compile(r"\b[ap]\.m\.|\b(Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec)\. \d")


class TestTheFormats:
    @pytest.mark.parametrize(
        ("language", "name", "expected"),
        [
            ("en", "DATE_FORMAT", "26 Nov 2026"),
            ("en", "DATETIME_FORMAT", "26 Nov 2026, 14:30"),
            ("en", "SHORT_DATE_FORMAT", "26/11/2026"),
            ("en", "SHORT_DATETIME_FORMAT", "26/11/2026 14:30"),
            ("en", "TIME_FORMAT", "14:30"),
            ("fr", "DATE_FORMAT", "26 novembre 2026"),
            ("fr", "DATETIME_FORMAT", "26 novembre 2026 14:30"),
            ("fr", "SHORT_DATE_FORMAT", "26/11/2026"),
            ("fr", "SHORT_DATETIME_FORMAT", "26/11/2026 14:30"),
        ],
    )
    def test_each_format(self, language, name, expected):
        with translation.override(language):
            assert date_format(timezone.localtime(MOMENT), name) == expected

    @pytest.mark.parametrize("typed", ["26/11/2026", "2026-11-26", "26 Nov 2026"])
    def test_english_forms_read_day_first(self, typed):
        with translation.override("en"):
            form = StatusDateForm({"on": typed})
            assert form.status_date() == datetime.date(2026, 11, 26)

    def test_english_forms_refuse_month_first(self):
        with translation.override("en"):
            assert not StatusDateForm({"on": "11/26/2026"}).is_valid()


@pytest.fixture
def dated_programme(db):
    """A draft whose every change happened at ``MOMENT``."""
    partner = PartnerFactory(name="Georgia", name_fr="Géorgie", code="GE")
    officer = assigned_officer(partner)
    programme = draft_programme(officer=officer, partner=partner, start_year=2027)
    Programme.objects.filter(pk=programme.pk).update(created_at=MOMENT)
    for model in (Programme, Objective, Goal, PlannedActivity):
        model.history.update(history_date=MOMENT)
    return programme


def pages(programme) -> dict[str, str]:
    """One page per kind of place: a table, a page of facts and history, a heading."""
    return {
        "table": reverse("programmes:programme_list"),
        "facts and history": programme.get_absolute_url(),
        "heading": reverse("partners:detail", args=[programme.partner.code]) + "?on=2026-11-26",
    }


EXPECTED = {
    "en": {
        "table": "26/11/2026 14:30",
        "facts and history": "26 Nov 2026, 14:30",
        "heading": "Status on 26 Nov 2026",
    },
    "fr": {
        "table": "26/11/2026 14:30",
        "facts and history": "26 novembre 2026 14:30",
        "heading": "26 novembre 2026",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_kind_of_place_in_each_language(client_as, viewer, dated_programme, language):
    viewer.language = language
    viewer.save()
    client = client_as(viewer)
    for place, url in pages(dated_programme).items():
        response = client.get(url)
        assert response.status_code == 200, place
        text = response.text
        assert f'<html lang="{language}">' in text
        assert EXPECTED[language][place] in text, place
        assert not MONTH_FIRST.search(text), (place, MONTH_FIRST.search(text))
        assert not AMERICAN.search(text), (place, AMERICAN.search(text))


@pytest.mark.django_db
def test_the_approvers_queue_is_a_table_of_short_dates(client_as, approver):
    partner = PartnerFactory(name="Georgia", name_fr="Géorgie", code="GE")
    other_approver = UserFactory(username="other-approver", role=Role.APPROVER)
    programme = programme_in_status(
        "submitted", officer=assigned_officer(partner), approver=other_approver, partner=partner
    )
    Programme.objects.filter(pk=programme.pk).update(submitted_at=MOMENT)
    text = client_as(approver).get(reverse("programmes:review_queue")).text
    assert '<td class="text-nowrap">26/11/2026 14:30</td>' in text
    assert not AMERICAN.search(text)
