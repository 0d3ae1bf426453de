"""Idempotency keys are stored as a keyed hash from now on (core.idempotency.stored_key, review M4): hash the old ones,
so a key that held personal data is not kept as sent, and a retry that spans the upgrade still finds its row."""

from django.db import migrations

from balie.core.idempotency import hash_existing_keys


def forwards(apps, schema_editor):
    hash_existing_keys(apps.get_model("referrals", "Referral"), "submission_key")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_referral_link_version"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
