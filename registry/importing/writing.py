"""The import services: keep a checked file with its report, then write all of its new rows or none."""

import hashlib
from dataclasses import asdict

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..identifiers import clean_text
from ..message_codes import render_error
from ..models import Course, CreditDeposit, CreditImport, Institution, Learner, User
from ..services import void_values
from .checking import Analysis, analyse
from .columns import column_label
from .reading import read_table


def credit_import_analyse(
    *, actor: User, institution: Institution, data: bytes, filename: str, create_courses: bool
) -> CreditImport:
    """Check a file and keep it with its report. A file with any error row is rejected at once."""
    analysis = analyse(institution=institution, data=data, create_courses=create_courses)
    credit_import = CreditImport(
        institution=institution,
        original_name=filename[:255],
        file_format=analysis.file_format,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        create_courses=create_courses,
        status=CreditImport.Status.REJECTED if analysis.has_errors else CreditImport.Status.PREVIEWED,
    )
    _set_counts(credit_import, analysis)
    credit_import.file.save("upload", ContentFile(data), save=False)
    try:
        with transaction.atomic(), pghistory.context(user=actor.pk, service="credit_import_analyse"):
            credit_import.save()
    except BaseException:
        credit_import.file.delete(save=False)  # no record, no file: nothing is left of a failed upload
        raise
    return credit_import


def credit_import_commit(*, actor: User, import_id: int) -> CreditImport:
    """Write an analysed file: every row or none. The file is checked again first, under a lock on the import."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="credit_import_commit"):
        credit_import = CreditImport.objects.select_for_update().select_related("institution").get(pk=import_id)
        if credit_import.status != CreditImport.Status.PREVIEWED:
            return credit_import
        with credit_import.file.open("rb") as handle:
            data = handle.read()
        analysis = analyse(
            institution=credit_import.institution, data=data, create_courses=credit_import.create_courses
        )
        _set_counts(credit_import, analysis)
        if analysis.has_errors:
            credit_import.status = CreditImport.Status.REJECTED
            credit_import.save()
            return credit_import
        _write(analysis, actor, credit_import)
        credit_import.status = CreditImport.Status.COMMITTED
        credit_import.committed_at = timezone.now()
        credit_import.save()
    return credit_import


def credit_import_discard(*, actor: User, import_id: int) -> CreditImport:
    """Drop a checked file its registrar will not import (the wrong file, the wrong term). Its record stays, with its
    counts, in the list of imports; what it held of learners (the file, and its rows in the report) goes: the report
    at once, the file once that is committed. Under the same lock as importing it: a file imported first is not
    discarded, and the other way round."""
    with transaction.atomic(), pghistory.context(user=actor.pk, service="credit_import_discard"):
        credit_import = CreditImport.objects.select_for_update().get(pk=import_id)
        if credit_import.status != CreditImport.Status.PREVIEWED:
            return credit_import
        stored, storage = credit_import.file.name, credit_import.file.storage
        credit_import.status = CreditImport.Status.DISCARDED
        credit_import.report = []
        credit_import.save(update_fields=["status", "report"])
        transaction.on_commit(lambda: storage.delete(stored))
    return credit_import


def credit_import_void(*, actor: User, import_id: int, reason: str) -> int:
    """Void, with one reason, every deposit an imported file wrote that is still active: a wrong file (the wrong
    term, another class's results) is undone in one step, where each of its deposits had to be voided one by one.
    Each row stays in the ledger, voided as deposit_void voids one; the learners and courses it registered stay.
    Under the import's lock; returns how many deposits were voided."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why this import is being undone.")})
    with transaction.atomic(), pghistory.context(user=actor.pk, service="credit_import_void", reason=reason):
        credit_import = CreditImport.objects.select_for_update().get(pk=import_id)
        if credit_import.status != CreditImport.Status.COMMITTED:
            raise ValidationError(_("Only an imported file can be undone; this one wrote nothing."))
        active = CreditDeposit.objects.select_for_update().filter(
            credit_import=credit_import, status=CreditDeposit.Status.ACTIVE
        )
        ids = list(active.values_list("pk", flat=True))
        CreditDeposit.objects.filter(pk__in=ids).update(**void_values(actor, reason))
    return len(ids)


def report_of(analysis: Analysis) -> list[dict]:
    return [asdict(r) for r in analysis.rows]


def file_with_errors(credit_import: CreditImport) -> tuple[list[str], list[list[str]]]:
    """The file as uploaded, every row in its place, with one more column holding each row's errors in words (the
    reader's language; empty for a row without). Nothing of a rejected file is written, so the registrar corrects
    this one and uploads it whole: a file of the rejected rows alone had the good rows left out, unsaved, unnoticed,
    and named each row by a number it no longer had."""
    errors = {
        r["row"]: "; ".join(
            f"{_('row')} {r['row']}, {column_label(column)}: {words}"
            for column, words in map(render_error, r["errors"])
        )  # the row of the file uploaded, as the import's page says it
        for r in credit_import.report
        if r["status"] == "error"
    }
    with credit_import.file.open("rb") as handle:
        table = read_table(handle.read())
    label = str(_("errors"))
    header, rows = table.header, table.rows
    if label in header:  # a file downloaded from here before: its old errors make way for the new
        at = header.index(label)
        header, rows = header[:at], [(n, cells[:at]) for n, cells in rows]
    width = max([len(header)] + [len(cells) for _number, cells in rows])

    def pad(cells):
        return cells + [""] * (width - len(cells))

    return pad(header) + [label], [pad(cells) + [errors.get(n, "")] for n, cells in rows]


def _set_counts(credit_import: CreditImport, analysis: Analysis):
    credit_import.total_rows = len(analysis.rows)
    credit_import.new_count = analysis.count("new")
    credit_import.duplicate_count = analysis.count("duplicate")
    credit_import.error_count = analysis.count("error")
    credit_import.learners_created = len(analysis.new_learners)
    credit_import.courses_created = len(analysis.new_courses)
    credit_import.report = report_of(analysis)


def _write(analysis: Analysis, actor: User, credit_import: CreditImport):
    Learner.objects.bulk_create(analysis.new_learners.values(), batch_size=2000)
    Course.objects.bulk_create(analysis.new_courses.values(), batch_size=2000)
    now = timezone.now()
    CreditDeposit.objects.bulk_create(
        [
            CreditDeposit(
                learner=fields["learner"],
                course=fields["course"],
                credits=fields["credits"],
                grade=fields["grade"],
                completed_on=fields["completed_on"],
                academic_year=fields["academic_year"],
                term=fields["term"],
                learning_type=fields["learning_type"],
                recorded_by=actor,
                recorded_at=now,
                credit_import=credit_import,
            )
            for _row, fields in analysis.deposits
        ],
        batch_size=2000,
    )
