from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    # Only the Hulpmiddelen landing page now; the tools are the apps messagecheck, letters, knowledge and suggestions.
    # The app stays installed for its migrations: they created the tables those apps still use.
    name = "balie.toolkit"
    verbose_name = "Hulpmiddelen"
