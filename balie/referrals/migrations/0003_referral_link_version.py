from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_request_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="link_version",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Staat in elke persoonlijke link; 'link intrekken' verhoogt hem, waarna oudere links niet meer werken.",
                verbose_name="versie van de partnerlink",
            ),
        ),
    ]
