# The rollup journal (ADR 0012) moves from insight to the desk, which writes it. State only: the table
# insight_pending and its rows stay as they are (db_table keeps the name).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0004_question_notes_index"), ("insight", "0003_journal_to_desk")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JournalEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("month", models.DateField(help_text="Eerste dag van de maand van de vraag.", verbose_name="maand")),
                        ("location_id", models.IntegerField(help_text="Id van de locatie waar de vraag gesteld werd.", verbose_name="locatie")),
                        ("codes", models.TextField(help_text="De codes van de vraag in de volgorde van de rollupdimensies, gescheiden door tabs.", verbose_name="codes")),
                        ("minutes", models.IntegerField(blank=True, help_text="Geregistreerde duur, leeg als die er niet is.", null=True, verbose_name="minuten")),
                        ("tally", models.BooleanField(default=False, help_text="Of de vraag nog als turf staat.", verbose_name="geturfd")),
                        ("weekday", models.PositiveSmallIntegerField(help_text="0 maandag tot 6 zondag (lokale tijd).", verbose_name="weekdag")),
                        ("hour", models.PositiveSmallIntegerField(help_text="Uur van de dag (lokale tijd), 0 tot 23.", verbose_name="uur")),
                        ("n", models.IntegerField(help_text="+1 voor een nieuwe of gewijzigde vraag, -1 voor wat verdween (of een veelvoud).", verbose_name="aantal")),
                    ],
                    options={
                        "verbose_name": "wachtende rollupwijziging",
                        "verbose_name_plural": "wachtende rollupwijzigingen",
                        "db_table": "insight_pending",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
