"""TrustedDomain, moved from the toolkit app.

State only: the table was created by the toolkit app and keeps its name, so installed databases keep their rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APP = "messagecheck"


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
        ("toolkit", "0004_move_models_to_feature_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TrustedDomain',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('domain', models.CharField(help_text="Alleen het domein, zonder https:// of pad, bijvoorbeeld 'woonbron.nl'. Subdomeinen tellen automatisch mee.", max_length=253, unique=True, verbose_name='domein')),
                        ('organisation', models.CharField(help_text="De naam zoals bezoekers die kennen, bijvoorbeeld 'Woonbron'. De berichtcheck herkent deze naam ook in berichten.", max_length=200, verbose_name='organisatie')),
                        ('category', models.CharField(choices=[('overheid', 'Overheid'), ('bank', 'Bank'), ('vervoer', 'Openbaar vervoer'), ('energie', 'Energie'), ('zorgverzekeraar', 'Zorgverzekeraar'), ('zorg', 'Zorg'), ('wonen', 'Wonen'), ('telecom', 'Telecom'), ('post', 'Post en pakketten'), ('pensioen', 'Pensioen'), ('bibliotheek', 'Bibliotheek'), ('overig', 'Overig')], default='overig', help_text="Overheid en bank wegen zwaarder: een nagemaakte naam van zo'n organisatie telt meteen als nep.", max_length=20, verbose_name='soort')),
                        ('note', models.TextField(blank=True, help_text='Waarom dit domein te vertrouwen is en hoe dat is gecontroleerd (bijvoorbeeld: staat in het RIO-register).', verbose_name='toelichting')),
                        ('created_at', models.DateTimeField(auto_now_add=True, help_text='Wanneer dit domein is toegevoegd.', verbose_name='toegevoegd op')),
                        ('added_by', models.ForeignKey(blank=True, help_text='De beheerder die dit domein heeft toegevoegd.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='toegevoegd door')),
                    ],
                    options={
                        'db_table': 'toolkit_trusteddomain',
                        'verbose_name': 'vertrouwd domein',
                        'verbose_name_plural': 'vertrouwde domeinen',
                        'ordering': ['domain'],
                    },
                ),
            ],
            database_operations=[],
        ),
        take_over_content_type("trusteddomain"),
    ]
