from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_must_change_password")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("nl", "Nederlands"), ("en", "English")], default="nl", max_length=2, verbose_name="taal",
                help_text="Taal van de schermen, e-mails en pdf's van Balie voor deze gebruiker (zelf te kiezen op de accountpagina).",
            ),
        ),
    ]
