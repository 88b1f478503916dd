"""Bulk import of deposits from CSV or XLSX: read, check every row, and write all or nothing.

The web page and `manage.py import_credits` both go through `credit_import_analyse` and `credit_import_commit`.
"""

import csv
import datetime
import hashlib
import io
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

import pghistory
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .dates import parse_date
from .grades import normalize_grade
from .identifiers import clean_text, detect_id_type, normalize_identifier, validate_identifier
from .models import (
    Course,
    CreditDeposit,
    CreditImport,
    Institution,
    InstitutionKind,
    Learner,
    LearningType,
    Level,
    Prefix,
    User,
    is_credit_amount,
    scale_for_level,
)

COLUMNS = [
    "national_id",
    "prefix",
    "first_name",
    "last_name",
    "birth_date",
    "course_code",
    "course_title",
    "credits",
    "grade",
    "completed_on",
    "academic_year",
    "term",
    "learning_type",
]
THAI_LABELS = {
    "national_id": "เลขประจำตัวประชาชน",
    "prefix": "คำนำหน้า",
    "first_name": "ชื่อ",
    "last_name": "นามสกุล",
    "birth_date": "วันเกิด",
    "course_code": "รหัสวิชา",
    "course_title": "ชื่อวิชา",
    "credits": "หน่วยกิต",
    "grade": "ผลการเรียน",
    "completed_on": "วันที่เรียนจบ",
    "academic_year": "ปีการศึกษา",
    "term": "ภาคเรียน",
    "learning_type": "รูปแบบการเรียนรู้",
}
REQUIRED = ["national_id", "course_code", "grade", "completed_on", "academic_year", "term"]
MAX_ROWS = 20_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

PREFIXES = {
    "นาย": Prefix.MR,
    "นาง": Prefix.MRS,
    "นางสาว": Prefix.MISS,
    "น.ส.": Prefix.MISS,
    "เด็กชาย": Prefix.BOY,
    "ด.ช.": Prefix.BOY,
    "เด็กหญิง": Prefix.GIRL,
    "ด.ญ.": Prefix.GIRL,
    "mr": Prefix.MR,
    "mr.": Prefix.MR,
    "mrs": Prefix.MRS,
    "mrs.": Prefix.MRS,
    "miss": Prefix.MISS,
    "ms": Prefix.MISS,
    "ms.": Prefix.MISS,
    "master": Prefix.BOY,
    "boy": Prefix.BOY,
    "girl": Prefix.GIRL,
}
LEARNING_TYPES = {
    "formal": LearningType.FORMAL,
    "ในระบบ": LearningType.FORMAL,
    "non_formal": LearningType.NON_FORMAL,
    "non-formal": LearningType.NON_FORMAL,
    "นอกระบบ": LearningType.NON_FORMAL,
    "informal": LearningType.INFORMAL,
    "ตามอัธยาศัย": LearningType.INFORMAL,
}
TERMS = {"1": 1, "2": 2, "3": 3, "s": 3, "summer": 3, "ฤดูร้อน": 3, "ภาคฤดูร้อน": 3}


class ImportFileError(Exception):
    """The whole file is refused: not CSV/XLSX, no header, missing columns, too many rows."""


@dataclass
class RowResult:
    row: int
    status: str = "new"  # new, duplicate, error
    errors: list = field(default_factory=list)  # [column, message]
    notes: list = field(default_factory=list)
    national_id: str = ""
    learner_name: str = ""
    course_code: str = ""
    grade: str = ""
    academic_year: int | None = None
    term: int | None = None

    def error(self, column: str, message: str):
        self.errors.append([column, message])
        self.status = "error"


@dataclass
class Analysis:
    file_format: str
    rows: list
    new_learners: dict = field(default_factory=dict)  # national_id -> Learner (unsaved)
    new_courses: dict = field(default_factory=dict)  # code -> Course (unsaved)
    deposits: list = field(default_factory=list)  # (RowResult, dict of deposit fields)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def has_errors(self) -> bool:
        return any(r.status == "error" for r in self.rows)


# Reading ------------------------------------------------------------------------------------------------------


def read_table(data: bytes) -> tuple[str, list[tuple[int, list]]]:
    """Return the format and the rows (spreadsheet row number, cells), header first."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx", _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet. Save it as CSV (UTF-8) or XLSX."))
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("This file is not a CSV or XLSX spreadsheet. Save it as CSV (UTF-8) or XLSX."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return "csv", [(number, row) for number, row in enumerate(reader, start=1)]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ImportFileError(
            _("This XLSX file cannot be opened; save it again from your spreadsheet program.")
        ) from None
    sheet = workbook.worksheets[0]
    rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def header_columns(header: list) -> dict[str, int]:
    """Map column keys to positions. A header cell may carry a Thai label: "national_id (เลขประจำตัว)"."""
    positions = {}
    for index, cell in enumerate(header):
        key = re.split(r"[\s(]", clean_text(_cell_text(cell)).lower(), maxsplit=1)[0] if cell is not None else ""
        if key in COLUMNS and key not in positions:
            positions[key] = index
    missing = [c for c in REQUIRED + ["first_name", "last_name"] if c not in positions]
    if missing:
        raise ImportFileError(
            _("The header row (row 1) lacks the columns: %(columns)s. Download the template and use its header.")
            % {"columns": ", ".join(missing)}
        )
    return positions


# Parsing cells ------------------------------------------------------------------------------------------------


def parse_credits(text: str) -> Decimal:
    value = Decimal(text.strip())
    if not is_credit_amount(value):
        raise InvalidOperation
    return value


def level_from_code(code: str, institution: Institution) -> str:
    """What a new course's code and its institution tell of its level (ท31101 is upper secondary)."""
    basic = re.match(r"^[ก-ฮ]{1,3}([123])\d", code)
    if basic:
        return {"1": Level.PRIMARY, "2": Level.LOWER_SECONDARY, "3": Level.UPPER_SECONDARY}[basic.group(1)]
    vocational = re.match(r"^([23])\d{4}-\d{4}$", code)
    if vocational:
        return Level.VOCATIONAL_CERTIFICATE if vocational.group(1) == "2" else Level.HIGH_VOCATIONAL
    return {
        InstitutionKind.VOCATIONAL_COLLEGE: Level.VOCATIONAL_CERTIFICATE,
        InstitutionKind.UNIVERSITY: Level.BACHELOR,
        InstitutionKind.SCHOOL: Level.LOWER_SECONDARY,
    }.get(institution.kind, Level.SHORT_COURSE)


def default_learning_type(institution: Institution) -> str:
    return {
        InstitutionKind.NON_FORMAL_CENTRE: LearningType.NON_FORMAL,
        InstitutionKind.TRAINING_PROVIDER: LearningType.NON_FORMAL,
        InstitutionKind.WORKPLACE: LearningType.INFORMAL,
    }.get(institution.kind, LearningType.FORMAL)


# Analysis -----------------------------------------------------------------------------------------------------


def analyse(*, institution: Institution, data: bytes, create_courses: bool) -> Analysis:
    """Check every row against the registry as it is now. Writes nothing."""
    file_format, table = read_table(data)
    table = [(n, cells) for n, cells in table if any(_cell_text(c).strip() for c in cells)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    header_number, header = table[0]
    if header_number != 1:
        raise ImportFileError(_("Row 1 must be the header row with the column names."))
    positions = header_columns(header)
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("A file may hold at most %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
        )

    raw_rows = []
    for number, cells in body:
        values = {}
        for key, index in positions.items():
            values[key] = _cell_text(cells[index]) if index < len(cells) else ""
        raw_rows.append((number, values))

    ids = {normalize_identifier(v["national_id"]) for _n, v in raw_rows}
    learners = {lr.national_id: lr for lr in Learner.objects.filter(national_id__in=ids)}
    courses = {c.code: c for c in Course.objects.filter(institution=institution)}
    existing = set(
        CreditDeposit.objects.active()
        .filter(learner__in=list(learners.values()), course__institution=institution)
        .values_list("learner__national_id", "course__code", "academic_year", "term")
    )

    analysis = Analysis(file_format=file_format, rows=[])
    seen = set()
    today = timezone.localdate()
    for number, values in raw_rows:
        result = RowResult(row=number)
        analysis.rows.append(result)
        _check_row(result, values, institution, learners, courses, analysis, create_courses, today)
        if result.status == "error":
            continue
        key = (result.national_id, result.course_code, result.academic_year, result.term)
        if key in existing:
            result.status = "duplicate"
            result.notes.append(_("Already recorded: this deposit is in the registry and will not be added again."))
        elif key in seen:
            result.status = "duplicate"
            result.notes.append(_("The same learner, course, year and term appear earlier in this file."))
        else:
            seen.add(key)
    analysis.deposits = [(r, d) for r, d in analysis.deposits if r.status == "new"]
    return analysis


def _check_row(result, values, institution, learners, courses, analysis, create_courses, today):
    for key, text in values.items():
        if text.startswith(FORMULA_START) and not _is_number(text):
            result.error(key, _("Formulas are not accepted; type the value itself."))
    if result.errors:
        return
    for key in REQUIRED:
        if not values[key].strip():
            result.error(key, _("This column must not be empty."))

    # The learner ------------------------------------------------------------------------------------------
    national_id = normalize_identifier(values["national_id"])
    result.national_id = national_id
    learner = learners.get(national_id) or analysis.new_learners.get(national_id)
    first_name, last_name = clean_text(values["first_name"]), clean_text(values["last_name"])
    if national_id:
        try:
            validate_identifier(national_id, detect_id_type(national_id))
        except Exception as exc:  # ValidationError: its message is the one to show
            result.error("national_id", exc.messages[0] if hasattr(exc, "messages") else str(exc))
            learner = None
    if learner is not None and learner.pk:
        result.learner_name = learner.full_name
        if (first_name, last_name) != ("", "") and (first_name, last_name) != (learner.first_name, learner.last_name):
            result.notes.append(
                _("The name in the file (%(file)s) differs from the registry (%(registry)s); the registry is kept.")
                % {"file": f"{first_name} {last_name}", "registry": f"{learner.first_name} {learner.last_name}"}
            )
    elif learner is not None:
        result.learner_name = learner.full_name  # registered by an earlier row of this file
    elif national_id and not any(c == "national_id" for c, _m in result.errors):
        learner = _new_learner(result, values, national_id, first_name, last_name, institution, analysis, today)

    # The course -------------------------------------------------------------------------------------------
    code = clean_text(values["course_code"]).upper()
    result.course_code = code
    course = courses.get(code) or analysis.new_courses.get(code)
    if code and course is None:
        course = _new_course(result, values, code, institution, analysis, create_courses)

    # The deposit ------------------------------------------------------------------------------------------
    deposit = {}
    if course is not None and values["grade"]:
        grade = normalize_grade(values["grade"])
        result.grade = grade
        scale = scale_for_level(course.level)
        if grade not in scale:
            result.error(
                "grade",
                _("Grade %(grade)s is not in the %(scale)s scale; choose one of: %(codes)s.")
                % {"grade": grade, "scale": scale.name, "codes": ", ".join(scale.codes)},
            )
        deposit["grade"] = grade
    if values["completed_on"]:
        try:
            completed = parse_date(values["completed_on"])
            if completed > today:
                result.error("completed_on", _("The completion date cannot be in the future."))
            deposit["completed_on"] = completed
        except ValueError:
            result.error("completed_on", _("Write the date as YYYY-MM-DD or DD/MM/YYYY (e.g. 15/03/2568)."))
    if values["academic_year"]:
        try:
            year = int(values["academic_year"].strip())
            if not 2400 <= year <= 2700:
                raise ValueError
            result.academic_year = deposit["academic_year"] = year
        except ValueError:
            result.error("academic_year", _("Write the academic year in the Buddhist Era, e.g. 2568."))
    if values["term"]:
        term = TERMS.get(values["term"].strip().lower())
        if term is None:
            result.error("term", _("The term is 1, 2 or 3 (summer)."))
        result.term = deposit["term"] = term
    if values.get("learning_type"):
        learning_type = LEARNING_TYPES.get(values["learning_type"].strip().lower())
        if learning_type is None:
            result.error("learning_type", _("The learning type is formal, non_formal or informal (or leave it empty)."))
        deposit["learning_type"] = learning_type
    if course is not None and values.get("credits") and course.pk:
        try:
            credits = parse_credits(values["credits"])
            if credits != course.credits:
                result.error(
                    "credits",
                    _("Course %(code)s has %(course)s credits in the catalogue, not %(file)s.")
                    % {"code": code, "course": course.credits, "file": credits},
                )
        except InvalidOperation:
            result.error("credits", _("Credits must be a number above zero, in half-credit steps (e.g. 1.5)."))
    if result.status != "error":
        deposit.setdefault("learning_type", course.learning_type)
        analysis.deposits.append((result, {"learner": learner, "course": course, "credits": course.credits, **deposit}))


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


def _new_learner(result, values, national_id, first_name, last_name, institution, analysis, today):
    prefix = PREFIXES.get(clean_text(values.get("prefix", "")).lower())
    if not values.get("prefix"):
        result.error(
            "prefix", _("A learner not yet in the registry needs a prefix (นาย, นางสาว, นาง, เด็กชาย, เด็กหญิง).")
        )
    elif prefix is None:
        result.error("prefix", _("Unknown prefix; use นาย, นางสาว, นาง, เด็กชาย or เด็กหญิง."))
    if not first_name:
        result.error("first_name", _("A learner not yet in the registry needs a first name."))
    if not last_name:
        result.error("last_name", _("A learner not yet in the registry needs a last name."))
    birth_date = None
    if values.get("birth_date"):
        try:
            birth_date = parse_date(values["birth_date"])
            if birth_date > today:
                result.error("birth_date", _("The birth date cannot be in the future."))
        except ValueError:
            result.error("birth_date", _("Write the date as YYYY-MM-DD or DD/MM/YYYY (e.g. 15/03/2568)."))
    learner = Learner(
        national_id=national_id,
        id_type=detect_id_type(national_id),
        prefix=prefix or "",
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        registered_by_institution=institution,
    )
    result.learner_name = learner.full_name if prefix else f"{first_name} {last_name}"
    if result.status != "error":
        analysis.new_learners[national_id] = learner
        result.notes.append(_("New learner: will be registered."))
    return learner


def _new_course(result, values, code, institution, analysis, create_courses):
    title = clean_text(values.get("course_title", ""))
    if not title or not values.get("credits"):
        result.error(
            "course_code",
            _("Course %(code)s is not in your catalogue. Add it first, or give course_title and credits to add it.")
            % {"code": code},
        )
        return None
    try:
        credits = parse_credits(values["credits"])
    except InvalidOperation:
        result.error("credits", _("Credits must be a number above zero, in half-credit steps (e.g. 1.5)."))
        return None
    if not create_courses:
        result.error(
            "course_code",
            _("Course %(code)s is not in your catalogue; confirm adding new courses to import this row.")
            % {"code": code},
        )
        return None
    course = Course(
        institution=institution,
        code=code,
        title_th=title,
        credits=credits,
        level=level_from_code(code, institution),
        learning_type=default_learning_type(institution),
    )
    analysis.new_courses[code] = course
    result.notes.append(_("New course %(code)s will be added to the catalogue.") % {"code": code})
    return course


# Services -----------------------------------------------------------------------------------------------------


def report_of(analysis: Analysis) -> list[dict]:
    return [asdict(r) for r in analysis.rows]


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
    with pghistory.context(user=actor.pk, service="credit_import_analyse"):
        credit_import.save()
    return credit_import


def _set_counts(credit_import, analysis):
    credit_import.total_rows = len(analysis.rows)
    credit_import.new_count = analysis.count("new")
    credit_import.duplicate_count = analysis.count("duplicate")
    credit_import.error_count = analysis.count("error")
    credit_import.learners_created = len(analysis.new_learners)
    credit_import.courses_created = len(analysis.new_courses)
    credit_import.report = report_of(analysis)


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


def template_rows() -> list[list[str]]:
    """The downloadable template: the keys, then one example row."""
    example = ["1101700207030", "นาย", "สมชาย", "ใจดี", "2008-05-14", "ท21101", "ภาษาไทย 1", "1.5", "3.5",
               "15/03/2568", "2567", "2", "formal"]  # fmt: skip
    return [COLUMNS, example]
