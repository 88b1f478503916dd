from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events


class FigureSnapshot(models.Model):
    """The dashboard's province-wide figures, computed in the background: one scan of millions of deposits is too
    slow to repeat for every page view. Reports for a chosen period are computed live."""

    computed_at = models.DateTimeField(default=timezone.now, db_index=True)
    seconds = models.FloatField()
    data = models.JSONField()

    class Meta:
        get_latest_by = "computed_at"

    def __str__(self):
        return f"{self.computed_at:%Y-%m-%d %H:%M}"


class AuditEvent(Events):
    """pghistory's events across every tracked model, under the name the office uses for them. Read in the admin
    (creditbank/admin.py); nothing of its own in the database."""

    class Meta:
        proxy = True
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    @property
    def tracked_model(self):
        """The model of the record the event is about; None for one since removed from the code."""
        try:
            return apps.get_model(self.pgh_obj_model)
        except (LookupError, ValueError):
            return None

    def __str__(self):
        """The record the event is about, as the pages name it: "ผู้เรียน #232"."""
        model = self.tracked_model
        return f"{model._meta.verbose_name if model else self.pgh_obj_model} #{self.pgh_obj_id}"
