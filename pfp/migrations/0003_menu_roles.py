"""Grant the menu's permissions: every role reads it; menu managers maintain and import it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_MENU = [
    ("programmes", "view_area"),
    ("programmes", "view_provider"),
    ("programmes", "view_activity"),
    ("programmes", "view_menuimport"),
]
MAINTAIN_MENU = [
    ("programmes", "add_activity"),
    ("programmes", "change_activity"),
    ("programmes", "add_menuimport"),
]
GRANTS = {
    "Viewer": READ_MENU,
    "Programme officer": READ_MENU,
    "Approver": READ_MENU,
    "Menu manager": READ_MENU + MAINTAIN_MENU,
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
        ("pfp", "0002_roles"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
