"""SuggestionModel, moved from the toolkit app.

State only: the table was created by the toolkit app and keeps its name, so installed databases keep their rows.
"""

import django.db.models.deletion
from django.db import migrations, models

APP = "suggestions"


def take_over_content_type(model):
    """Point the old content type at the new app, so permissions and admin history of the model carry over."""

    def forwards(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        if not content_type.objects.filter(app_label=APP, model=model).exists():
            content_type.objects.filter(app_label="toolkit", model=model).update(app_label=APP)

    def backwards(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        if not content_type.objects.filter(app_label="toolkit", model=model).exists():
            content_type.objects.filter(app_label=APP, model=model).update(app_label="toolkit")

    return migrations.RunPython(forwards, backwards)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("network", "0003_schedule"),
        ("toolkit", "0004_move_models_to_feature_apps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SuggestionModel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('blob', models.BinaryField(blank=True, default=b'', help_text='Woordenlijst en gewichten (numpy npz); leeg als nog niet getraind.', verbose_name='model')),
                        ('n_samples', models.PositiveIntegerField(default=0, help_text='Met hoeveel notities het model is getraind.', verbose_name='aantal notities')),
                        ('features_version', models.PositiveSmallIntegerField(default=0, help_text='Versie van de tekstkenmerken; bij een andere versie wordt opnieuw getraind.', verbose_name='kenmerkversie')),
                        ('trained_at', models.DateTimeField(blank=True, help_text='Wanneer het model voor het laatst is getraind.', null=True, verbose_name='getraind op')),
                        ('train_seconds', models.FloatField(blank=True, help_text='Hoe lang de laatste training duurde.', null=True, verbose_name='trainingsduur (s)')),
                        ('requested_at', models.DateTimeField(blank=True, help_text='Wanneer de achtergrondtaak voor het laatst is gevraagd; voorkomt dat die vaker dan nodig start.', null=True, verbose_name='opnieuw trainen gevraagd op')),
                        ('organisation', models.OneToOneField(help_text='Elke organisatie leert alleen van haar eigen notities.', on_delete=django.db.models.deletion.CASCADE, related_name='suggestion_model', to='network.organisation', verbose_name='organisatie')),
                    ],
                    options={
                        'db_table': 'toolkit_suggestionmodel',
                        'verbose_name': 'suggestiemodel',
                        'verbose_name_plural': 'suggestiemodellen',
                    },
                ),
            ],
            database_operations=[],
        ),
        take_over_content_type("suggestionmodel"),
    ]
