"""The pointer from a partner to a signals.SignalRecipient is gone: the partner itself receives signals now."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_outside_organisation'),
        ('signals', '0003_merge_recipients_into_partners'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='partner',
            name='signal_recipient',
        ),
    ]
