import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "nl-gemeenten-2021.csv"


def load(apps, schema_editor):
    Gemeente = apps.get_model("network", "Gemeente")
    with open(DATA, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(Gemeente.objects.values_list("cbs_code", flat=True))
    Gemeente.objects.bulk_create(
        Gemeente(cbs_code=r["cbs_code"], naam=r["naam"], lat=float(r["lat"]), lon=float(r["lon"]))
        for r in rows
        if r["cbs_code"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
