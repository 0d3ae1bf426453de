"""Signal.recipient now points at partners.Partner; SignalRecipient and SignalRecipientUser are removed."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0003_remove_partner_signal_recipient'),
        ('signals', '0003_merge_recipients_into_partners'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='signal',
            name='recipient',
        ),
        migrations.RenameField(
            model_name='signal',
            old_name='recipient_partner',
            new_name='recipient',
        ),
        migrations.AlterField(
            model_name='signal',
            name='recipient',
            field=models.ForeignKey(blank=True, help_text='De organisatie (van de sociale kaart) waaraan het signaal is gemeld.', null=True, on_delete=models.deletion.PROTECT, related_name='signals', to='partners.partner', verbose_name='ontvanger'),
        ),
        migrations.DeleteModel(
            name='SignalRecipientUser',
        ),
        migrations.DeleteModel(
            name='SignalRecipient',
        ),
    ]
