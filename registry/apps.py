from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Credit registry")

    def ready(self):
        from django.db.models import IntegerField

        from .lookups import AnyOf

        IntegerField.register_lookup(AnyOf)
