# Cell keys (ADR 0015): every rollup cell keeps the sum of its questions' record keys, from which the noise on the
# figures for municipalities, the nation and open data is taken. Existing cells are recounted once (like 0002).
from django.db import migrations, models


def covering(apps, schema_editor):
    # The dashboards read the key sums too: keep their queries index-only on PostgreSQL (see 0002).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE insight_cell DROP CONSTRAINT insight_cell_key")
    schema_editor.execute("ALTER TABLE insight_cell ADD CONSTRAINT insight_cell_key UNIQUE (cube, a, month, location_id, b) "
                          "INCLUDE (n, minutes, timed, tallied, k)")


def recount(apps, schema_editor):
    from balie.insight import rollup

    rollup.rebuild()


class Migration(migrations.Migration):
    dependencies = [("insight", "0003_journal_to_desk"), ("desk", "0008_journalentry_record_key_sum")]
    operations = [
        migrations.AddField(
            model_name="cell",
            name="k",
            field=models.BigIntegerField(default=0, help_text="Som van de recordsleutels van deze vragen (de celsleutel, ADR 0015).", verbose_name="sleutelsom"),
        ),
        migrations.AddField(
            model_name="hourcell",
            name="k",
            field=models.BigIntegerField(default=0, help_text="Som van de recordsleutels van deze vragen (de celsleutel, ADR 0015).", verbose_name="sleutelsom"),
        ),
        migrations.RunPython(covering, migrations.RunPython.noop),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
