from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditbankConfig(AppConfig):
    name = "creditbank"
    verbose_name = _("Provincial office")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
