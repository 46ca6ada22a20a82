"""Create the four role groups with the model permissions they hold at this point.

The permissions are listed here, frozen, rather than imported from pfp.roles: a migration must
replay the same way forever. Later migrations grant the permissions of later models.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_REGISTER = [("partners", "view_partner"), ("partners", "view_statusevent")]

ROLES = {
    "Viewer": READ_REGISTER,
    "Programme officer": READ_REGISTER,
    "Approver": READ_REGISTER,
    "Menu manager": READ_REGISTER,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pfp", "0001_initial"),
        ("partners", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
