"""Grant the programmes' permissions: every role reads them; programme officers draft them.

Which programmes an officer may change, and who may approve, is decided by ``pfp.permissions``
(assignment to the partner, the approver role, the four-eyes rule); these grants only open the
door to the pages.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_PROGRAMMES = [
    ("programmes", "view_programme"),
    ("programmes", "view_objective"),
    ("programmes", "view_goal"),
    ("programmes", "view_plannedactivity"),
    ("programmes", "view_comment"),
]
DRAFT_PROGRAMMES = [
    ("programmes", "add_programme"),
    ("programmes", "change_programme"),
    ("programmes", "add_comment"),
]
GRANTS = {
    "Viewer": READ_PROGRAMMES,
    "Programme officer": READ_PROGRAMMES + DRAFT_PROGRAMMES,
    "Approver": READ_PROGRAMMES + [("programmes", "add_comment")],
    "Menu manager": READ_PROGRAMMES,
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.get(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            for app_label, codename in permissions:
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("pfp", "0003_menu_roles"),
        ("programmes", "0003_programmes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
