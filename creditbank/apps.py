from django.apps import AppConfig


class CreditbankConfig(AppConfig):
    name = "creditbank"
    verbose_name = "Credit bank"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
