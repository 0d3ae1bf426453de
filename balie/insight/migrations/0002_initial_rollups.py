from django.db import migrations


def covering(apps, schema_editor):
    # Index-only scans for every dashboard query (Django's include= would drop the unique index on SQLite).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE insight_cell DROP CONSTRAINT insight_cell_key")
    schema_editor.execute("ALTER TABLE insight_cell ADD CONSTRAINT insight_cell_key UNIQUE (cube, a, month, location_id, b) "
                          "INCLUDE (n, minutes, timed, tallied)")


def build(apps, schema_editor):
    # Existing registrations of an installation that upgrades: count them once, later writes keep it current.
    from balie.insight import rollup

    rollup.rebuild()


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial"), ("desk", "0004_question_notes_index")]
    operations = [migrations.RunPython(covering, migrations.RunPython.noop), migrations.RunPython(build, migrations.RunPython.noop)]
