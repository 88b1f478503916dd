from django.core.management.base import BaseCommand

from creditbank.snapshots import refresh_snapshot


class Command(BaseCommand):
    help = "Recompute the dashboard's province-wide figures now (the dashboard otherwise refreshes them itself)."

    def handle(self, *args, **options):
        snapshot = refresh_snapshot()
        self.stdout.write(f"figures as of {snapshot.computed_at:%Y-%m-%d %H:%M}, computed in {snapshot.seconds:.1f} s")
