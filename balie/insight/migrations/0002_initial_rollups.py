from django.db import migrations, models


def covering(apps, schema_editor):
    # Index-only scans for every dashboard query (Django's include= would drop the unique index on SQLite).
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE insight_cell DROP CONSTRAINT insight_cell_key")
    schema_editor.execute("ALTER TABLE insight_cell ADD CONSTRAINT insight_cell_key UNIQUE (cube, a, month, location_id, b) "
                          "INCLUDE (n, minutes, timed, tallied)")


def build(apps, schema_editor):
    # Existing registrations of an installation that upgrades are counted once by 0004 (which adds the cell keys):
    # the rebuild code of today writes columns that do not exist yet at this point.
    pass


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_initial"), ("desk", "0004_question_notes_index")]
    operations = [
        # The desks' journal (ADR 0012); created before the first build, which empties it.
        migrations.CreateModel(
            name='Pending',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='Eerste dag van de maand van de vraag.', verbose_name='maand')),
                ('location_id', models.IntegerField(help_text='Id van de locatie waar de vraag gesteld werd.', verbose_name='locatie')),
                ('codes', models.TextField(help_text='De codes van de vraag in de volgorde van de rollupdimensies, gescheiden door tabs.', verbose_name='codes')),
                ('minutes', models.IntegerField(blank=True, help_text='Geregistreerde duur, leeg als die er niet is.', null=True, verbose_name='minuten')),
                ('tally', models.BooleanField(default=False, help_text='Of de vraag nog als turf staat.', verbose_name='geturfd')),
                ('weekday', models.PositiveSmallIntegerField(help_text='0 maandag tot 6 zondag (lokale tijd).', verbose_name='weekdag')),
                ('hour', models.PositiveSmallIntegerField(help_text='Uur van de dag (lokale tijd), 0 tot 23.', verbose_name='uur')),
                ('n', models.IntegerField(help_text='+1 voor een nieuwe of gewijzigde vraag, -1 voor wat verdween (of een veelvoud).', verbose_name='aantal')),
            ],
            options={
                'verbose_name': 'wachtende rollupwijziging',
                'verbose_name_plural': 'wachtende rollupwijzigingen',
            },
        ),
        migrations.RunPython(covering, migrations.RunPython.noop),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
