from django.apps import AppConfig


class CreditbankConfig(AppConfig):
    name = "creditbank"
    verbose_name = "Credit bank"
