"""The snapshot that proves a request wrote nothing (``tests.support.snapshots``) sees each kind
of write, on each engine: a proof that cannot fail proves nothing."""

import pytest
from django.db import connection, transaction

from partners.models import Partner
from tests.support.snapshots import changed_tables, count_changes, database_state, tables_written

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


# --- The tables a block writes to (PostgreSQL's counts of the transaction's writes) ------------


def written_by(write) -> list[str] | None:
    with tables_written() as written:
        write()
    return None if written is None else sorted(model._meta.label for model in written)


def test_the_tables_written_are_those_a_block_changes(partner):
    if connection.vendor != "postgresql":
        # SQLite keeps no such counts: every table is read, as before.
        assert written_by(lambda: None) is None
        return
    assert written_by(lambda: None) == []
    assert written_by(
        lambda: Partner.objects.filter(pk=partner.pk).update(name_fr="Autre nom")
    ) == ["partners.Partner"]

    def saved_then_rolled_back():
        with transaction.atomic():
            partner.name_fr = "Encore un autre"
            partner.save()
            transaction.set_rollback(True)

    # Rolled back, yet written: the caller reads those tables again and finds them unchanged.
    assert written_by(saved_then_rolled_back) == ["partners.HistoricalPartner", "partners.Partner"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_tables_written_are_not_known():
    assert written_by(lambda: None) is None


def test_a_walked_post_sees_what_a_whole_snapshot_sees(client_as, administrator):
    """``post_and_roll_back`` reads on PostgreSQL only the tables the POST wrote to: it finds
    the same changes as two whole snapshots around the same POST."""
    from django.urls import reverse

    from tests.support.security_matrix import post_and_roll_back

    url = reverse("set_language")
    data = {"language": "fr", "next": "/"}  # a signed-in user's choice is saved on the user
    client = client_as(administrator)
    before = database_state()
    with transaction.atomic():
        client.post(url, data)
        whole = changed_tables(before, database_state())
        transaction.set_rollback(True)
    seen = post_and_roll_back(client, url, "set_language", data)
    assert seen.changed == whole
    assert "pfp.User" in whole
    assert database_state() == before
