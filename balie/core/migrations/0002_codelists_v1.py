from django.db import migrations


def load(apps, schema_editor):
    from balie.core.codelists import install_shipped_version

    install_shipped_version(1, code_model=apps.get_model("core", "Code"), version_model=apps.get_model("core", "CodeListVersion"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
