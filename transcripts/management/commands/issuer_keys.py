"""python manage.py issuer_keys [--dir DIR] [--if-missing] [--rotate] [--p256]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from transcripts.keys import configured, create_keys


class Command(BaseCommand):
    help = (
        "Create development signing material: a root certificate, a signing certificate issued by it (PDFs) and an "
        "Ed25519 credential key. With --rotate the old public keys stay published, so old documents still verify."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="where to write (default: ISSUER_KEYS_DIR)")
        parser.add_argument("--if-missing", action="store_true", help="do nothing when keys are configured")
        parser.add_argument("--rotate", action="store_true", help="replace the keys, keeping the old public ones")
        parser.add_argument("--p256", action="store_true", help="a P-256 credential key instead of Ed25519")

    def handle(self, *args, dir=None, if_missing=False, rotate=False, p256=False, **options):
        directory = Path(dir or settings.ISSUER_KEYS_DIR)
        if if_missing and configured():
            self.stdout.write("Issuer keys are configured.")
            return
        if (directory / "credential.key").exists() and not rotate:
            raise CommandError(f"Keys already exist in {directory}; use --rotate to replace them.")
        for path in create_keys(directory, algorithm="p256" if p256 else "ed25519", rotate=rotate):
            self.stdout.write(f"wrote {path}")
