from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "balie.referrals"
    label = "referrals"
    verbose_name = "Doorverwijzingen"
