"""python manage.py print_transcript NATIONAL_ID --output PATH [--lang th|en] [--user USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.identifiers import normalize_identifier
from registry.models import Learner, User
from transcripts.services import transcript_issue


class Command(BaseCommand):
    help = "Write a learner's official transcript PDF (the same document the web pages give) and record it."

    def add_arguments(self, parser):
        parser.add_argument("national_id")
        parser.add_argument("--output", required=True)
        parser.add_argument("--lang", choices=["th", "en"], default="th")
        parser.add_argument("--user", default=None, help="recorded as issuer (default: the first administrator)")

    def handle(self, *args, national_id, output, lang, user, **options):
        learner = Learner.objects.filter(national_id=normalize_identifier(national_id)).first()
        if learner is None:
            raise CommandError("No learner has this identifier.")
        actor = User.objects.filter(username=user).first() if user else User.objects.filter(is_superuser=True).first()
        if actor is None:
            raise CommandError("No user to record as issuer: create an administrator or pass --user.")
        transcript, pdf = transcript_issue(actor=actor, learner=learner, lang=lang, official=True)
        Path(output).write_bytes(pdf)
        self.stdout.write(
            f"{transcript.number}: {output} ({len(pdf)} bytes), verify at code {transcript.verification_code}"
        )
