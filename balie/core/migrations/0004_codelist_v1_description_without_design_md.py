"""The description of code-list version 1 named a developer file, "(DESIGN.md)", in the product (review 2026-12)."""

from django.db import migrations


def forwards(apps, schema_editor):
    CodeListVersion = apps.get_model("core", "CodeListVersion")
    CodeListVersion.objects.filter(number=1, description="Landelijke codelijsten versie 1 (DESIGN.md)").update(
        description="Landelijke codelijsten versie 1"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_outgoing_mail")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
