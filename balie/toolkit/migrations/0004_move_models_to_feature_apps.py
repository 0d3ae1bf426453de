"""The toolkit was split into the apps messagecheck, knowledge and suggestions; their models moved with it.

State only: the tables stay where they are (the models keep db_table = "toolkit_…"), so an installed database keeps
every trusted domain, guide and suggestion model. The new apps' first migrations take the models over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit", "0003_national_guides"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TrustedDomain"),
                migrations.DeleteModel(name="SuggestionModel"),
                migrations.DeleteModel(name="Guide"),
            ],
            database_operations=[],
        ),
    ]
