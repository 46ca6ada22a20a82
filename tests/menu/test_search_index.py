"""The menu search's trigram index (``programmes.search_index``): the same answers as reading
every activity, kept by every write, and read by the database instead of the whole menu. Each
test runs on the database of the run: SQLite's FTS5 table, or PostgreSQL's GIN index."""

import copy
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.menu import search_index
from programmes.menu.models import Activity, search_terms
from tests.support.factories import ActivityFactory
from tests.support.strategies import fuzz_settings

# Titles with what a query language or a LIKE pattern would take for syntax: quotes, wildcards,
# operators, brackets, a backslash; accents, a ligature, a sharp s, a non-Latin script.
TITLES = [
    'The "Partnership" course',
    "100% interoperable: the_rule",
    "NEAR AND OR NOT * ^ - + : ( )",
    "Back\\slash and [brackets] {braces}",
    "Sécurité des réseaux — cours",
    "Œuvre commune, Straße, ﬁnance",
    "Кибербезопасность: обучение",
    "Cyber incident handling",
]


def python_search(query: str) -> list[str]:
    """What the search must answer: every activity read, in Python."""
    terms = search_terms(query)
    return sorted(
        a.code for a in Activity.objects.all() if all(term in a.search_text for term in terms)
    )


def indexed_search(query: str) -> list[str]:
    return sorted(Activity.objects.search(query).values_list("code", flat=True))


def titled_activities():
    """An activity for each of ``TITLES``, IDX-0001 onwards."""
    return [
        ActivityFactory(code=f"IDX-{number:04d}", title_en=title, description_fr="")
        for number, title in enumerate(TITLES, start=1)
    ]


@pytest.fixture
def activities(db):
    return titled_activities()


@pytest.fixture(scope="class")
def built_activities(class_transaction):
    """For ``TestSameAnswers``, which only searches: ``titled_activities``, once for the class."""
    return titled_activities()


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("", []),
        ("  ", []),
        ("Cyber  EXERCISE", ["cyber", "exercise"]),
        ('"Cyber exercise" planning', ["cyber exercise", "planning"]),
        ('planning "cyber exercise', ["planning", "cyber exercise"]),  # unclosed: to the end
        ('"" "  "', []),
        ("Défense défense", ["defense"]),
        ("d'essai l’OTAN", ["d'essai", "l’otan"]),  # noqa: RUF001 - a French apostrophe
        ("a\tb\u00a0c", ["a", "b", "c"]),
    ],
)
def test_search_terms(text, terms):
    assert search_terms(text) == terms


@pytest.mark.django_db
class TestSameAnswers:
    @pytest.fixture
    def activities(self, built_activities, db):
        return copy.deepcopy(built_activities)

    @pytest.mark.parametrize(
        "query",
        [
            '"partnership"',
            'The "',
            '""',
            "100%",
            "%",
            "_rule",
            "e_r",
            "near and",
            "* ^",
            "( )",
            "back\\slash",
            "\\",
            "[brackets]",
            "securite des",
            "RÉSEAUX",
            "oeuvre",
            "strasse",
            "finance",
            "кибер",
            "idx-0008",
            "ab",  # shorter than a trigram: read in full
            "x",
            "\x00",
            "cy\x00ber",
            "nowhere at all",
            # Several terms: each of them, in any order.
            "course partnership",
            "partnership the",
            "réseaux cours sécurité",
            'rule "100%"',
            '"interoperable: the"',
            '"the rule"',
            "et ab",
            "ab et",
            "ab cd",
            'cyber "',
        ],
    )
    def test_as_reading_every_activity(self, activities, query):
        assert indexed_search(query) == python_search(query)

    @settings(fuzz_settings, max_examples=200)
    @given(data=st.data())
    def test_any_text(self, activities, data):
        """Any part of a title, in any case, or any text at all."""
        title = data.draw(st.sampled_from(TITLES))
        start = data.draw(st.integers(0, len(title)))
        part = title[start : data.draw(st.integers(start, len(title)))]
        query = data.draw(
            st.one_of(
                st.just(part),
                st.just(part.upper()),
                st.just(f"{part} {title[: len(part)]}"),
                st.text(alphabet=st.sampled_from('ab "%_*\\-()^:éÉ'), max_size=8),
                st.text(max_size=8),
            )
        )
        assert indexed_search(query) == python_search(query)


@pytest.mark.django_db
class TestKeptByEveryWrite:
    def test_save_bulk_writes_and_deletes(self, activities):
        first, second = activities[0], activities[1]
        first.title_en = "Maritime situational awareness"
        first.save()
        assert indexed_search("situational") == [first.code]
        assert indexed_search("partnership") == []
        created = Activity.objects.bulk_create(
            [
                ActivityFactory.build(
                    code="IDX-0100",
                    title_en="Harbour protection",
                    area=first.area,
                    provider=first.provider,
                )
            ]
        )
        assert indexed_search("harbour") == ["IDX-0100"]
        created[0].title_en = "Port protection"
        Activity.objects.bulk_update(created, ["title_en"])
        assert indexed_search("harbour") == []
        assert indexed_search("port prot") == ["IDX-0100"]
        second.delete()
        Activity.objects.filter(code="IDX-0100").delete()
        assert indexed_search("interoperable") == []
        assert indexed_search("protection") == []
        for query in ("situational", "cyber", "course", "réseaux"):
            assert indexed_search(query) == python_search(query)

    def test_installing_again_catches_up(self, activities):
        """What a migration that rebuilds the activity table must do (the module's docstring):
        without the triggers the index falls behind; installing again brings it up to date."""
        editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
        if connection.vendor == "postgresql":
            # The test's inserts leave deferred checks pending, which CREATE INDEX refuses.
            editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        search_index.uninstall(None, editor)
        Activity.objects.filter(code="IDX-0008").update(search_text="written behind its back")
        search_index.install(None, editor)
        search_index.install(None, editor)  # safe to run again
        assert indexed_search("behind its back") == ["IDX-0008"]
        assert indexed_search("cyber incident") == []

    def test_migrate_puts_back_what_a_rebuilt_table_lost(self, activities):
        """On SQLite a migration that rebuilds the activity table (``alter_field`` does) drops
        the triggers with the old table; the ``migrate`` it runs in puts them back and brings
        the index up to date. PostgreSQL rebuilds a table's indexes with it."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for trigger in search_index.SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER {trigger}")
        Activity.objects.filter(code="IDX-0008").update(search_text="written while unindexed")
        call_command("migrate", verbosity=0)
        assert indexed_search("while unindexed") == ["IDX-0008"]
        assert indexed_search("cyber incident") == []
        assert not search_index.repair(using=connection.alias)  # nothing left to do


@pytest.mark.django_db
def test_the_database_reads_the_index(activities):
    """The search's query goes through the index, not through every activity. PostgreSQL's
    planner reads a small table in full whatever its indexes, so it is asked whether it can."""
    query = Activity.objects.search("partnership").order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan, plan
            assert "SEARCH programmes_activity USING INTEGER PRIMARY KEY" in plan, plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert search_index.POSTGRESQL_INDEX in plan, plan
