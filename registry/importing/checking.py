"""Check every row of a file against the registry as it is now, and say what committing it would write."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ..dates import parse_date
from ..deposit_rules import completed_on_error, credit_amount_error, grade_error
from ..grades import normalize_grade
from ..identifiers import clean_text, detect_id_type, normalize_identifier, validate_identifier
from ..models import Course, CreditDeposit, Institution, Learner
from .cells import (
    LEARNING_TYPES,
    PREFIXES,
    TERMS,
    default_learning_type,
    is_formula,
    level_from_code,
    parse_academic_year,
    parse_credits,
)
from .columns import REQUIRED
from .reading import read_rows


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


@dataclass
class FileContext:
    """What every row of one file is checked against; `analysis` gathers what earlier rows will add."""

    institution: Institution
    learners: dict  # national_id -> Learner already registered
    courses: dict  # code -> Course in the institution's catalogue
    analysis: Analysis
    create_courses: bool
    today: datetime.date


def analyse(*, institution: Institution, data: bytes, create_courses: bool) -> Analysis:
    """Check every row against the registry as it is now. Writes nothing."""
    file_format, rows = read_rows(data)
    ids = {normalize_identifier(values["national_id"]) for _number, values in rows}
    learners = {lr.national_id: lr for lr in Learner.objects.filter(national_id__in=ids)}
    courses = {c.code: c for c in Course.objects.filter(institution=institution)}
    existing = set(
        CreditDeposit.objects.active()
        .filter(learner__in=list(learners.values()), course__institution=institution)
        .values_list("learner__national_id", "course__code", "academic_year", "term")
    )
    analysis = Analysis(file_format=file_format, rows=[])
    context = FileContext(institution, learners, courses, analysis, create_courses, today=timezone.localdate())
    seen = set()
    for number, values in rows:
        result = RowResult(row=number)
        analysis.rows.append(result)
        _check_row(result, values, context)
        if result.status != "error":
            _mark_duplicate(result, existing, seen)
    analysis.deposits = [(r, d) for r, d in analysis.deposits if r.status == "new"]
    return analysis


def _mark_duplicate(result: RowResult, existing: set, seen: set):
    """A deposit already in the registry, or earlier in this file, is not added again."""
    key = (result.national_id, result.course_code, result.academic_year, result.term)
    if key in existing:
        result.status = "duplicate"
        result.notes.append(_("Already recorded: this deposit is in the registry and will not be added again."))
    elif key in seen:
        result.status = "duplicate"
        result.notes.append(_("The same learner, course, year and term appear earlier in this file."))
    else:
        seen.add(key)


def _check_row(result: RowResult, values: dict, context: FileContext):
    for key, text in values.items():
        if is_formula(text):
            result.error(key, _("Formulas are not accepted; type the value itself."))
    if result.errors:
        return
    for key in REQUIRED:
        if not values[key].strip():
            result.error(key, _("This column must not be empty."))
    learner = _check_learner(result, values, context)
    course = _check_course(result, values, context)
    deposit = _check_deposit(result, values, course, context.today)
    if result.status != "error":
        deposit.setdefault("learning_type", course.learning_type)
        fields = {"learner": learner, "course": course, "credits": course.credits, **deposit}
        context.analysis.deposits.append((result, fields))


# The learner --------------------------------------------------------------------------------------------------


def _check_learner(result: RowResult, values: dict, context: FileContext) -> Learner | None:
    """The registered learner, one an earlier row registers, or a new one this row registers."""
    national_id = normalize_identifier(values["national_id"])
    result.national_id = national_id
    learner = context.learners.get(national_id) or context.analysis.new_learners.get(national_id)
    if national_id:
        try:
            validate_identifier(national_id, detect_id_type(national_id))
        except Exception as exc:  # ValidationError: its message is the one to show
            result.error("national_id", exc.messages[0] if hasattr(exc, "messages") else str(exc))
            return None
    if learner is None:
        return _new_learner(result, values, context) if national_id else None
    result.learner_name = learner.full_name
    if learner.pk:  # not one registered by an earlier row of this file
        _note_other_name(result, values, learner)
    return learner


def _note_other_name(result: RowResult, values: dict, learner: Learner):
    """The registry keeps a registered learner's name; a different one in the file is only noted."""
    first_name, last_name = clean_text(values["first_name"]), clean_text(values["last_name"])
    if (first_name, last_name) != ("", "") and (first_name, last_name) != (learner.first_name, learner.last_name):
        result.notes.append(
            _("The name in the file (%(file)s) differs from the registry (%(registry)s); the registry is kept.")
            % {"file": f"{first_name} {last_name}", "registry": f"{learner.first_name} {learner.last_name}"}
        )


def _new_learner(result: RowResult, values: dict, context: FileContext) -> Learner:
    """A learner not yet in the registry: the row must give the prefix and the full name."""
    first_name, last_name = clean_text(values["first_name"]), clean_text(values["last_name"])
    prefix = _check_prefix(result, values.get("prefix", ""))
    if not first_name:
        result.error("first_name", _("A learner not yet in the registry needs a first name."))
    if not last_name:
        result.error("last_name", _("A learner not yet in the registry needs a last name."))
    birth_date = _date(result, "birth_date", values["birth_date"]) if values.get("birth_date") else None
    if birth_date and birth_date > context.today:
        result.error("birth_date", _("The birth date cannot be in the future."))
    learner = Learner(
        national_id=result.national_id,
        id_type=detect_id_type(result.national_id),
        prefix=prefix or "",
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        registered_by_institution=context.institution,
    )
    result.learner_name = learner.full_name if prefix else f"{first_name} {last_name}"
    if result.status != "error":
        context.analysis.new_learners[result.national_id] = learner
        result.notes.append(_("New learner: will be registered."))
    return learner


def _check_prefix(result: RowResult, text: str) -> str | None:
    if not text:
        result.error(
            "prefix", _("A learner not yet in the registry needs a prefix (นาย, นางสาว, นาง, เด็กชาย, เด็กหญิง).")
        )
        return None
    prefix = PREFIXES.get(clean_text(text).lower())
    if prefix is None:
        result.error("prefix", _("Unknown prefix; use นาย, นางสาว, นาง, เด็กชาย or เด็กหญิง."))
    return prefix


# The course ---------------------------------------------------------------------------------------------------


def _check_course(result: RowResult, values: dict, context: FileContext) -> Course | None:
    """The catalogue's course, one an earlier row adds, or a new one this row adds when allowed."""
    code = clean_text(values["course_code"]).upper()
    result.course_code = code
    course = context.courses.get(code) or context.analysis.new_courses.get(code)
    if code and course is None:
        course = _new_course(result, values, context)
    return course


def _new_course(result: RowResult, values: dict, context: FileContext) -> Course | None:
    code = result.course_code
    title = clean_text(values.get("course_title", ""))
    if not title or not values.get("credits"):
        result.error(
            "course_code",
            _("Course %(code)s is not in your catalogue. Add it first, or give course_title and credits to add it.")
            % {"code": code},
        )
        return None
    credits = parse_credits(values["credits"])
    if message := credit_amount_error(credits):
        result.error("credits", message)
        return None
    if not context.create_courses:
        result.error(
            "course_code",
            _("Course %(code)s is not in your catalogue; confirm adding new courses to import this row.")
            % {"code": code},
        )
        return None
    course = Course(
        institution=context.institution,
        code=code,
        title_th=title,
        credits=credits,
        level=level_from_code(code, context.institution),
        learning_type=default_learning_type(context.institution),
    )
    context.analysis.new_courses[code] = course
    result.notes.append(_("New course %(code)s will be added to the catalogue.") % {"code": code})
    return course


# The deposit --------------------------------------------------------------------------------------------------


def _check_deposit(result: RowResult, values: dict, course: Course | None, today: datetime.date) -> dict:
    """The deposit's own fields; a bad one is an error on its column."""
    deposit = {}
    if course is not None and values["grade"]:
        result.grade = deposit["grade"] = normalize_grade(values["grade"])
        if message := grade_error(result.grade, course.grade_scale):
            result.error("grade", message)
    if values["completed_on"] and (completed := _date(result, "completed_on", values["completed_on"])):
        if message := completed_on_error(completed, today):
            result.error("completed_on", message)
        deposit["completed_on"] = completed
    if values["academic_year"]:
        if year := parse_academic_year(values["academic_year"]):
            result.academic_year = deposit["academic_year"] = year
        else:
            result.error("academic_year", _("Write the academic year in the Buddhist Era, e.g. 2568."))
    if values["term"]:
        result.term = deposit["term"] = TERMS.get(values["term"].strip().lower())
        if result.term is None:
            result.error("term", _("The term is 1, 2 or 3 (summer)."))
    if values.get("learning_type"):
        deposit["learning_type"] = LEARNING_TYPES.get(values["learning_type"].strip().lower())
        if deposit["learning_type"] is None:
            result.error("learning_type", _("The learning type is formal, non_formal or informal (or leave it empty)."))
    if course is not None and course.pk and values.get("credits"):
        _check_catalogue_credits(result, values["credits"], course)
    return deposit


def _check_catalogue_credits(result: RowResult, text: str, course: Course):
    """Credits in the file, when given for a catalogue course, must be the catalogue's."""
    credits = parse_credits(text)
    if message := credit_amount_error(credits):
        result.error("credits", message)
    elif credits != course.credits:
        result.error(
            "credits",
            _("Course %(code)s has %(course)s credits in the catalogue, not %(file)s.")
            % {"code": course.code, "course": course.credits, "file": credits},
        )


def _date(result: RowResult, column: str, text: str) -> datetime.date | None:
    try:
        return parse_date(text)
    except ValueError:
        result.error(column, _("Write the date as YYYY-MM-DD or DD/MM/YYYY (e.g. 15/03/2568)."))
        return None
