"""A temporary second recipient column that points at partners.Partner; 0003 fills it, 0004 swaps it in."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_outside_organisation'),
        ('signals', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='signal',
            name='recipient_partner',
            field=models.ForeignKey(blank=True, help_text='Tijdelijk: de organisatie waaraan het signaal is gemeld.', null=True, on_delete=models.deletion.PROTECT, related_name='+', to='partners.partner', verbose_name='ontvanger (partner)'),
        ),
    ]
