"""Loads the national guides shipped in knowledge/data/handleidingen/ (the knowledge base's starting point)."""

from django.db import migrations


def load(apps, schema_editor):
    from balie.knowledge.services import load_national_guides

    load_national_guides(apps.get_model("toolkit", "Guide"))


def unload(apps, schema_editor):
    apps.get_model("toolkit", "Guide").objects.filter(organisation__isnull=True, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0002_knowledge_suggestions"),
    ]

    operations = [migrations.RunPython(load, unload)]
