"""python manage.py verify_ledger [--balances N]: check the ledger's invariants; exit 1 on any discrepancy."""

import sys

from django.core.management.base import BaseCommand

from creditbank import ledger


class Command(BaseCommand):
    help = "Check the ledger's invariants and print every discrepancy; exit status 1 if there is any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--balances", type=int, default=2000, help="check the balances of at most N learners (0: all)"
        )

    def handle(self, *args, balances, **options):
        problems = 0
        checks = dict(ledger.CHECKS)
        checks["learners whose balance differs from the sum of their deposits"] = lambda: ledger.balances_disagree(
            balances or None
        )
        for name, check in checks.items():
            found = check()
            if found:
                problems += len(found)
                self.stdout.write(self.style.ERROR(f"FAIL {name}: {len(found)}"))
                for row in found[:20]:
                    self.stdout.write(f"     {row}")
            else:
                self.stdout.write(f"ok   {name}")
        self.stdout.write(f"ledger checksum {ledger.ledger_checksum()}")
        if problems:
            sys.exit(1)
