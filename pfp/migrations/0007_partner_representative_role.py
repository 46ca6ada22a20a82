"""Create the partner representative role: staff of a partner's mission, each bound to one partner
(``partners.Representative``). The group opens the doors to reading the register, the menu and
programmes, and to commenting; which partner and which versions they see is decided by
``partners.permissions.visible_partners`` and ``programmes.permissions.visible_programmes``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Partner representative"
GRANTS = [
    ("partners", "view_partner"),
    ("partners", "view_statusevent"),
    ("partners", "represent_partner"),
    ("programmes", "view_area"),
    ("programmes", "view_provider"),
    ("programmes", "view_activity"),
    ("programmes", "view_programme"),
    ("programmes", "view_objective"),
    ("programmes", "view_goal"),
    ("programmes", "view_plannedactivity"),
    ("programmes", "view_comment"),
    ("programmes", "add_comment"),
]


def create_role(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE)
    for app_label, codename in GRANTS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pfp", "0006_account_history"),
        ("partners", "0005_representatives"),
        ("programmes", "0013_partner_side"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
