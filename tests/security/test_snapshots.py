"""The snapshot that proves a request wrote nothing (``tests.support.snapshots``) sees each kind
of write, on each engine: a proof that cannot fail proves nothing."""

import pytest
from django.db import connection

from partners.models import Partner
from tests.support.snapshots import changed_tables, count_changes, database_state

pytestmark = pytest.mark.django_db


def test_nothing_written_nothing_seen(partner):
    before = database_state()

    assert changed_tables(before, database_state()) == []


def test_a_row_changed_in_place_is_seen(partner):
    before = database_state()
    # An UPDATE that neither adds nor removes a row, nor leaves a history row.
    Partner.objects.filter(pk=partner.pk).update(name_fr="Autre nom")

    assert changed_tables(before, database_state()) == ["partners.Partner"]
    assert count_changes(before, database_state()) == {}


def test_a_row_deleted_and_another_added_is_seen(partner):
    lone = Partner.objects.create(code="YY", name="Yland", framework=partner.framework)
    before = database_state()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM partners_partner WHERE id = %s", [lone.pk])
    Partner.objects.create(code="ZZ", name="Zedland", framework=partner.framework)

    assert "partners.Partner" in changed_tables(before, database_state())


def test_a_saved_change_counts_its_history_row(partner, administrator):
    before = database_state()
    partner.name_fr = "Autre nom"
    partner.save()

    assert count_changes(before, database_state()) == {"partners.HistoricalPartner": 1}
    assert set(changed_tables(before, database_state())) == {
        "partners.Partner",
        "partners.HistoricalPartner",
    }
