from django.db import migrations, models

# The statuses of a version on its way to an agreement (``programmes.models.OPEN_STATUSES``),
# written out: a migration keeps the rule as it was when it ran.
OPEN_STATUSES = ["approved", "draft", "returned", "submitted"]
PROGRAMME_YEARS = 4

# PostgreSQL only: no two open versions of a partner for overlapping years. ``btree_gist``
# gives GiST the equality on ``partner_id``; it is a trusted extension (PostgreSQL 13+), so the
# database's owner may create it, and it stays when the constraint goes (other schemas may use
# it), as ``pg_trgm`` does in 0007.
EXCLUSION = "programme_open_periods_apart"
POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE programmes_programme ADD CONSTRAINT {EXCLUSION}
        EXCLUDE USING gist (partner_id WITH =, int4range(start_year, end_year, '[]') WITH &&)
        WHERE (status IN ({", ".join(f"'{status}'" for status in OPEN_STATUSES)}))""",
]
POSTGRESQL_UNINSTALL = [f"ALTER TABLE programmes_programme DROP CONSTRAINT IF EXISTS {EXCLUSION}"]


def refuse_overlapping_open_versions(apps, schema_editor):
    """Stop, naming them, when a partner already has open versions for overlapping years: which
    one to keep is for people to decide (return and withdraw the others), not for a migration."""
    Programme = apps.get_model("programmes", "Programme")
    open_versions = (
        Programme.objects.using(schema_editor.connection.alias)
        .filter(status__in=OPEN_STATUSES)
        .order_by("partner_id", "start_year", "pk")
        .values_list("pk", "partner__code", "start_year", "version", "status")
    )
    clashes = []
    previous = None
    for row in open_versions:
        if previous and previous[1] == row[1] and row[2] - previous[2] < PROGRAMME_YEARS:
            clashes.append(f"{previous} and {row}")
        previous = row
    if clashes:
        raise RuntimeError(
            "Some partners have several versions on their way for overlapping years "
            "(id, partner, first year, version, status): "
            + "; ".join(clashes)
            + ". Keep one of each: return (when submitted) and withdraw the others, then "
            "migrate again."
        )


def install_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_INSTALL:
            schema_editor.execute(statement)


def uninstall_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    """At most one version of a partner on its way (draft, returned, submitted, approved) for any
    year: the same first year on every database, any overlapping years on PostgreSQL."""

    dependencies = [
        ("partners", "0003_officers_are_programme_officers"),
        ("programmes", "0007_activity_search_index"),
    ]

    operations = [
        migrations.RunPython(refuse_overlapping_open_versions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="programme",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", OPEN_STATUSES)),
                fields=("partner", "start_year"),
                name="programme_one_open_version_per_period",
                violation_error_message=(
                    "The partner already has a version on its way for these years."
                ),
            ),
        ),
        migrations.RunPython(install_exclusion, uninstall_exclusion),
    ]
