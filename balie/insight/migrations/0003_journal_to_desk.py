# The rollup journal (ADR 0012) now belongs to the desk, its writer: desk.JournalEntry on the same table
# (insight_pending). State only: the table and its rows stay exactly as they are.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insight", "0002_initial_rollups")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Pending")],
            database_operations=[],
        ),
    ]
