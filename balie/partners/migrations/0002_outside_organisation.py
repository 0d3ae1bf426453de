"""One outside-organisation model: the signal-recipient fields move onto the social map's Partner."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0003_schedule'),
        ('partners', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='partner',
            name='receives_referrals',
            field=models.BooleanField(default=True, help_text='Aan: de organisatie staat op de sociale kaart en kan verwijzingen ontvangen.', verbose_name='ontvangt verwijzingen'),
        ),
        migrations.AddField(
            model_name='partner',
            name='receives_signals',
            field=models.BooleanField(default=False, help_text='Aan: de organisatie kan signaalrapporten ontvangen over de instanties hieronder (ADR 0007).', verbose_name='ontvangt signalen'),
        ),
        migrations.AddField(
            model_name='partner',
            name='signal_email',
            field=models.EmailField(blank=True, help_text='Waar signaalrapporten naartoe gaan. Leeg: het algemene e-mailadres.', max_length=254, verbose_name='e-mailadres voor signalen'),
        ),
        migrations.AddField(
            model_name='partner',
            name='signal_codes',
            field=models.CharField(blank=True, help_text='Landelijke of lokale instantiecodes waarvoor deze organisatie signalen ontvangt, als |A|B|.', max_length=300, verbose_name='instanties voor signalen'),
        ),
        migrations.AlterField(
            model_name='partner',
            name='organisation',
            field=models.ForeignKey(blank=True, help_text='De bibliotheek die deze organisatie beheert. Leeg: een landelijke organisatie die iedereen ziet en die landelijke signalen ontvangt.', null=True, on_delete=models.deletion.CASCADE, related_name='partners', to='network.organisation', verbose_name='bibliotheekorganisatie'),
        ),
        migrations.AlterField(
            model_name='partneruser',
            name='partner',
            field=models.ForeignKey(help_text='De organisatie namens wie deze gebruiker verwijzingen en signalen bijwerkt.', on_delete=models.deletion.CASCADE, related_name='users', to='partners.partner', verbose_name='partner'),
        ),
    ]
