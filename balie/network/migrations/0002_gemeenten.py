from django.db import migrations


def load(apps, schema_editor):
    from balie.network.reference import load_gemeenten

    load_gemeenten(apps.get_model("network", "Gemeente"))


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
