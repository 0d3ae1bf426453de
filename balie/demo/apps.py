from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: only the demo builders and the `load_demo` and `demo_logins` commands."""

    name = "balie.demo"
    label = "demo"
    verbose_name = "Demodata"
