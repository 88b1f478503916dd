from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from django_tasks_db.apps import TasksAppConfig


class CreditbankConfig(AppConfig):
    name = "creditbank"
    verbose_name = _("Provincial office")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)


# The third-party apps the admin lists, under names an administrator reads in the page's language (their own names are
# English only: "Axes", "OTP_TOTP", "Tasks Database Backend"). Django's way for apps one does not own: a subclass of
# their AppConfig, named in INSTALLED_APPS; labels, models and migrations stay theirs.


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in throttling")


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("One-time sign-in codes (TOTP)")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background work")
