"""python manage.py import_credits PATH --institution CODE [--dry-run] [--create-courses] [--user USERNAME]

Exit status: 0 when the file was imported (or was all duplicates, or --dry-run found no error), 1 when rejected.
`--user` must name an active registrar of the institution (default: one of its registrars, else an administrator).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.importing.checking import analyse
from registry.importing.reading import MAX_FILE_BYTES, ImportFileError
from registry.importing.writing import credit_import_analyse, credit_import_commit
from registry.message_codes import render_error
from registry.models import CreditImport, Institution, Role, User


class Command(BaseCommand):
    help = "Import deposits from a CSV or XLSX file for one institution: every row or none."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--institution", required=True, help="the institution's official code")
        parser.add_argument("--dry-run", action="store_true", help="check the file and write nothing")
        parser.add_argument("--create-courses", action="store_true", help="add unknown courses to the catalogue")
        parser.add_argument("--user", default=None, help="the username recorded as importer (default: a registrar)")

    def handle(self, *args, path, institution, dry_run, create_courses, user, **options):
        try:
            institution = Institution.objects.get(code=institution)
        except Institution.DoesNotExist:
            raise CommandError(f"No institution with code {institution}") from None
        actor = self._actor(institution, user)
        try:
            if Path(path).stat().st_size > MAX_FILE_BYTES:
                raise ImportFileError("The file is larger than 10 MB; split it into smaller files.")
            data = Path(path).read_bytes()
            if dry_run:
                analysis = analyse(institution=institution, data=data, create_courses=create_courses)
                rows = analysis.rows
                counts = (analysis.count("new"), analysis.count("duplicate"), analysis.count("error"))
                rejected = analysis.has_errors
            else:
                credit_import = credit_import_analyse(
                    actor=actor, institution=institution, data=data, filename=Path(path).name,
                    create_courses=create_courses,
                )  # fmt: skip
                if credit_import.status == CreditImport.Status.PREVIEWED:
                    credit_import = credit_import_commit(actor=actor, import_id=credit_import.pk)
                rows = credit_import.report
                counts = (credit_import.new_count, credit_import.duplicate_count, credit_import.error_count)
                rejected = credit_import.status != CreditImport.Status.COMMITTED
        except (ImportFileError, OSError) as exc:
            self.stderr.write(f"rejected: {exc}")
            raise SystemExit(1) from None

        for row in rows:
            row = row if isinstance(row, dict) else row.__dict__
            for column, message in map(render_error, row["errors"]):
                self.stderr.write(f"row {row['row']}, {column}: {message}")
        new, duplicates, errors = counts
        verdict = "rejected" if rejected else ("checked (dry run)" if dry_run else "imported")
        self.stdout.write(f"{verdict}: {new} new, {duplicates} duplicate, {errors} with errors")
        if rejected:
            raise SystemExit(1)

    def _actor(self, institution, username):
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(
                    f"No user named {username}; --user must name an active registrar of {institution.code}"
                )
            if not (actor.is_active and actor.role == Role.REGISTRAR and actor.institution_id == institution.pk):
                raise CommandError(f"{username} is not an active registrar of {institution.code}; --user must name one")
            return actor
        actor = User.objects.filter(role=Role.REGISTRAR, institution=institution, is_active=True).first()
        actor = actor or User.objects.filter(is_superuser=True, is_active=True).first()
        if actor is None:
            raise CommandError(
                "No registrar of this institution and no administrator to record as importer; use --user"
            )
        return actor
