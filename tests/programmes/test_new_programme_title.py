"""A new programme's title: prefilled from the partner and the period, in the reader's language,
and made so when left empty."""

# A period is written with an en dash (U+2013) between its years.
# ruff: noqa: RUF001

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import Programme
from tests.support.factories import PartnerFactory, assigned_officer

CREATE = reverse("programmes:programme_create")


@pytest.fixture
def georgia(db):
    return PartnerFactory(name="Georgia", name_fr="Géorgie", code="GE")


@pytest.fixture
def georgias_officer(georgia):
    return assigned_officer(georgia)


def title_field(response):
    return response.context["form"]["title"]


@pytest.mark.django_db
class TestPrefilled:
    def test_from_the_partner_and_next_years_period(self, client_as, georgias_officer):
        first = timezone.localdate().year + 1
        response = client_as(georgias_officer).get(CREATE, {"partner": "GE"})
        assert title_field(response).value() == f"Georgia ITPP {first}–{first + 3}"
        assert f'value="Georgia ITPP {first}–{first + 3}"' in response.text

    def test_in_french_for_a_french_reader(self, client_as, georgias_officer):
        georgias_officer.language = "fr"
        georgias_officer.save()
        first = timezone.localdate().year + 1
        response = client_as(georgias_officer).get(CREATE, {"partner": "GE"})
        assert title_field(response).value() == f"ITPP Géorgie {first}–{first + 3}"

    def test_not_without_a_partner_or_for_one_not_offered(self, client_as, georgias_officer):
        PartnerFactory(name="Elsewhere", code="EW")
        client = client_as(georgias_officer)
        assert title_field(client.get(CREATE)).value() is None
        assert title_field(client.get(CREATE, {"partner": "EW"})).value() is None

    def test_the_help_text_shows_an_example(self, client_as, georgias_officer):
        text = client_as(georgias_officer).get(CREATE).text
        assert "for example “Georgia ITPP 2027–2030”" in text


@pytest.mark.django_db
class TestLeftEmpty:
    @pytest.mark.parametrize(
        ("language", "expected"), [("en", "Georgia ITPP"), ("fr", "ITPP Géorgie")]
    )
    def test_the_title_is_made_from_the_partner_and_period(
        self, client_as, georgias_officer, language, expected
    ):
        georgias_officer.language = language
        georgias_officer.save()
        data = {"partner": "GE", "title": "  ", "start_year": 2031}
        response = client_as(georgias_officer).post(CREATE, data)
        programme = Programme.objects.get()
        assert response["Location"] == programme.get_absolute_url()
        assert programme.title == f"{expected} 2031–2034"

    def test_a_title_given_is_kept(self, client_as, georgias_officer):
        data = {"partner": "GE", "title": "Resilience", "start_year": 2031}
        client_as(georgias_officer).post(CREATE, data)
        assert Programme.objects.get().title == "Resilience"


@pytest.mark.django_db
def test_the_prefill_costs_one_query(client_as, georgias_officer, django_assert_num_queries):
    """Finding the partner named in the query string; nothing grows with the register."""
    client = client_as(georgias_officer)
    with django_assert_num_queries(10) as plain:
        client.get(CREATE)
    with django_assert_num_queries(len(plain.captured_queries) + 1):
        client.get(CREATE, {"partner": "GE"})
    for _ in range(30):
        PartnerFactory().officers.add(georgias_officer)
    with django_assert_num_queries(len(plain.captured_queries) + 1):
        client.get(CREATE, {"partner": "GE"})
