"""python manage.py verify_credential FILE — a transcript PDF, a VC-JWT or a JSON credential, checked offline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transcripts.verification import MAX_PDF_BYTES, verify_file


class Command(BaseCommand):
    help = "Check a transcript PDF or a credential (.jwt, .json) as /verify/ does; exit 0 only when genuine."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_PDF_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        result = verify_file(data)
        self.stdout.write(f"{result.verdict}: {result.reason}")
        if result.transcript:
            self.stdout.write(f"transcript {result.transcript.number}, issued {result.transcript.issued_at:%Y-%m-%d}")
        if result.verdict != "genuine":
            raise SystemExit(1)
