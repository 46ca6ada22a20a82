"""The starting set of areas of cooperation (shared/domain/README.md), in English and French."""

from django.db import migrations

AREAS = [
    ("dpp", "Defence policy and planning", "Politique et planification de défense"),
    ("dr", "Defence reform and institution building", "Réforme de la défense et renforcement des institutions"),
    ("cmr", "Civil-military relations and democratic control of forces", "Relations civilo-militaires et contrôle démocratique des forces"),
    ("et", "Education and training", "Enseignement et formation"),
    ("lang", "Language training", "Formation linguistique"),
    ("mil", "Military-to-military cooperation and exercises", "Coopération militaire et exercices"),
    ("std", "Interoperability and standardization", "Interopérabilité et normalisation"),
    ("cep", "Civil emergency planning and disaster response", "Planification civile d'urgence et réaction aux catastrophes"),
    ("cm", "Crisis management", "Gestion des crises"),
    ("ct", "Counter-terrorism", "Lutte contre le terrorisme"),
    ("bs", "Border security", "Sécurité des frontières"),
    ("salw", "Small arms, mines and munitions", "Armes légères, mines et munitions"),
    ("np", "Non-proliferation", "Non-prolifération"),
    ("cyber", "Cyber defence", "Cyberdéfense"),
    ("bi", "Building integrity", "Renforcement de l'intégrité"),
    ("wps", "Women, peace and security", "Femmes, paix et sécurité"),
    ("pd", "Public diplomacy", "Diplomatie publique"),
    ("sci", "Science and environmental security", "Science et sécurité environnementale"),
    ("log", "Logistics", "Logistique"),
    ("med", "Medical", "Soutien médical"),
    ("cis", "Communications and information systems", "Systèmes de communication et d'information"),
]


def create_areas(apps, schema_editor):
    Area = apps.get_model("programmes", "Area")
    for order, (code, name_en, name_fr) in enumerate(AREAS, start=1):
        Area.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_fr": name_fr, "order": order}
        )


def remove_areas(apps, schema_editor):
    apps.get_model("programmes", "Area").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(create_areas, remove_areas)]
