"""Guide, moved from the toolkit app.

State only: the table was created by the toolkit app and keeps its name, so installed databases keep their rows.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APP = "knowledge"


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Guide',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, help_text='Vast kenmerk van de handleiding.', unique=True, verbose_name='uuid')),
                        ('slug', models.SlugField(help_text='Het laatste deel van het webadres, bijvoorbeeld digid-app-activeren.', max_length=80, verbose_name='adres')),
                        ('title', models.CharField(help_text="Kort en duidelijk, bijvoorbeeld 'DigiD app activeren'.", max_length=120, verbose_name='titel')),
                        ('summary', models.CharField(help_text='Eén of twee zinnen: waar gaat deze handleiding over?', max_length=300, verbose_name='samenvatting')),
                        ('body', models.TextField(help_text="De stappen. Een regel die begint met '1.' is een stap, '- ' een opsomming, '## ' een tussenkop.", max_length=10000, verbose_name='tekst')),
                        ('instanties', models.CharField(blank=True, help_text='Landelijke instantiecodes waar de handleiding bij hoort, als |A|B|.', max_length=300, verbose_name='instanties')),
                        ('onderwerpen', models.CharField(blank=True, help_text='Landelijke onderwerpcodes waar de handleiding bij hoort, als |A|B|.', max_length=300, verbose_name='onderwerpen')),
                        ('keywords', models.CharField(blank=True, help_text="Extra zoekwoorden, bijvoorbeeld 'huurtoeslag zorgtoeslag'.", max_length=300, verbose_name='trefwoorden')),
                        ('created_at', models.DateTimeField(auto_now_add=True, help_text='Moment van aanmaken.', verbose_name='gemaakt op')),
                        ('updated_at', models.DateTimeField(auto_now=True, help_text='Laatste wijziging.', verbose_name='gewijzigd op')),
                        ('based_on', models.ForeignKey(blank=True, help_text='De landelijke handleiding waarvan dit een eigen versie is.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='local_versions', to='knowledge.guide', verbose_name='gebaseerd op')),
                        ('created_by', models.ForeignKey(blank=True, help_text='Leeg bij een landelijke handleiding.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gemaakt door')),
                        ('organisation', models.ForeignKey(blank=True, help_text='Leeg bij een landelijke handleiding; anders de organisatie die haar schreef.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='guides', to='network.organisation', verbose_name='organisatie')),
                        ('updated_by', models.ForeignKey(blank=True, help_text='Wie de handleiding het laatst aanpaste.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gewijzigd door')),
                    ],
                    options={
                        'db_table': 'toolkit_guide',
                        'verbose_name': 'handleiding',
                        'verbose_name_plural': 'handleidingen',
                        'ordering': ['title'],
                        'constraints': [models.UniqueConstraint(fields=('organisation', 'slug'), name='guide_slug_per_organisation'), models.UniqueConstraint(condition=models.Q(('organisation__isnull', True)), fields=('slug',), name='guide_slug_national')],
                    },
                ),
            ],
            database_operations=[],
        ),
        take_over_content_type("guide"),
    ]
