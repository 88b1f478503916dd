from django_tasks import task


@task()
def refresh_figures() -> str:
    """Recompute the dashboard's snapshot (also: `python manage.py refresh_figures`, e.g. from cron)."""
    from .reports import refresh_snapshot

    return str(refresh_snapshot().computed_at)
