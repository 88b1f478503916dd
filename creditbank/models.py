from django.db import models
from django.utils import timezone


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
