# The journal carries the sum of the record keys of the questions it counts (ADR 0015), so the dashboards' cells
# can keep cell keys next to their counts. Rows journaled before this migration have k = 0; insight's migration
# 0004 recounts everything (and empties the journal) right after this one.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0007_hash_submission_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='journalentry',
            name='k',
            field=models.BigIntegerField(default=0, help_text='Som van de recordsleutels van deze vragen (met het teken van het aantal); bepaalt de ruis op de cijfers voor buiten de bibliotheek (ADR 0015).', verbose_name='sleutelsom'),
        ),
    ]
