"""Checks `manage.py check --deploy` runs: what a deployment must set before learners use it."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def privacy_contact_set(app_configs, **kwargs):
    if settings.PRIVACY_CONTACT:
        return []
    return [
        Warning(
            "PRIVACY_CONTACT is empty: the privacy notice cannot say whom learners ask about their data.",
            hint="Set it to the office's contact for personal data (a unit, a telephone, an email).",
            id="creditbank.W001",
        )
    ]
