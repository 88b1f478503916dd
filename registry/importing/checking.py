"""Check every row of a file against the registry as it will be after the rows above it, and say what committing it
would write.

A learner or a course that an earlier row introduces is held to that row on every later one: a different name,
birth date, credits, title or learning type is an error on the later row that names the earlier. Messages are kept
as codes with their parameters (registry/message_codes.py), so the report reads in each reader's language.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ..dates import date_problem, parse_date
from ..deposit_rules import academic_year_problem, completed_on_problem, grade_problem, is_credit_amount
from ..digits import ascii_digits
from ..grades import CREDIT_EARNING_CODES, normalize_grade
from ..identifiers import catalogue_code, clean_text, detect_id_type, identifier_problem, normalize_identifier
from ..learner_rules import prefix_age_problem
from ..models import Course, CreditDeposit, DepositStatus, Institution, Learner
from .cells import (
    LEARNING_TYPES,
    PREFIXES,
    TERMS,
    credits_problem,
    default_learning_type,
    is_formula,
    level_from_code,
    parse_credits,
)
from .columns import REQUIRED, is_example_row
from .reading import ImportFileError, read_rows


@dataclass
class RowResult:
    row: int
    status: str = "new"  # new, duplicate, error
    errors: list = field(default_factory=list)  # [column, message code, params]
    notes: list = field(default_factory=list)  # [message code, params]
    national_id: str = ""
    learner_name: str = ""  # as the checker's language wrote it: shown only for reports made before `names`
    names: dict = field(default_factory=dict)  # the learner's title and names, put into words in the reader's language
    course_code: str = ""
    grade: str = ""
    academic_year: int | None = None
    term: int | None = None

    def error(self, column: str, code: str, params: dict | None = None):
        self.errors.append([column, code, params or {}])
        self.status = "error"

    def note(self, code: str, params: dict | None = None):
        self.notes.append([code, params or {}])


@dataclass
class Analysis:
    file_format: str
    rows: list
    new_learners: dict = field(default_factory=dict)  # national_id -> Learner (unsaved)
    new_courses: dict = field(default_factory=dict)  # code -> Course (unsaved)
    introduced_at: dict = field(default_factory=dict)  # ("learner", id) or ("course", code) -> the row adding it
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
    """Check every row against the registry as it is now and as the rows above it leave it. Writes nothing."""
    file_format, rows = read_rows(data)
    ids = {normalize_identifier(values["national_id"]) for _number, values in rows}
    learners = {lr.national_id: lr for lr in Learner.objects.filter(national_id__in=ids)}
    courses = {c.code: c for c in Course.objects.filter(institution=institution)}
    theirs = CreditDeposit.objects.filter(learner__in=list(learners.values()), course__institution=institution)
    key_columns = ("learner__national_id", "course__code", "academic_year", "term")
    # Active deposits by key, with their grade and number: a row with another grade is said to differ, not just "already
    # recorded" (a registrar re-sending a corrected grade had been told nothing of it).
    existing = {tuple(key): (grade, pk) for *key, grade, pk in theirs.active().values_list(*key_columns, "grade", "pk")}
    # Voided deposits of the same learner, course, year and term: a file sent again must not bring back what a
    # registrar voided as wrong. The latest voiding of each is what the row is compared with.
    voided = {}
    for *key, grade, reason, voided_at in (
        theirs.filter(status=DepositStatus.VOIDED).order_by("voided_at").values_list(*key_columns, "grade",
                                                                                    "void_reason", "voided_at")
    ):  # fmt: skip
        voided[tuple(key)] = (grade, reason, timezone.localdate(voided_at))
    analysis = Analysis(file_format=file_format, rows=[])
    context = FileContext(institution, learners, courses, analysis, create_courses, today=timezone.localdate())
    seen = {}
    # Each learner's passes of a course, from the registry and the rows above: a course passed again (a retake, or
    # the same result in another term) is recorded, and said to count its credits once.
    passes = {}
    for (national_id, code, year, term), (grade, _pk) in sorted(existing.items(), key=lambda item: item[0][2:]):
        if grade in CREDIT_EARNING_CODES:
            passes.setdefault((national_id, code), (year, term, grade))
    for number, values in rows:
        result = RowResult(row=number)
        analysis.rows.append(result)
        if not any(values.get(key, "").strip() for key in WHO_AND_WHAT):
            # A row of the sheet made ready and never filled (its number, the year, the term): nothing to record.
            # Left out and said so once, not refused with four "must not be empty".
            result.status = "unused"
            result.note("unused_row")
            continue
        _check_row(result, values, context)
        if result.status != "error":
            _mark_duplicate(result, existing, seen, voided)
        if result.status == "new" and normalize_grade(result.grade) in CREDIT_EARNING_CODES:
            earlier = passes.setdefault(
                (result.national_id, result.course_code), (result.academic_year, result.term, result.grade)
            )
            if earlier != (result.academic_year, result.term, result.grade):
                result.note("passed_before", {"year": earlier[0], "term": earlier[1], "grade": earlier[2]})
    analysis.deposits = [(r, d) for r, d in analysis.deposits if r.status == "new"]
    if all(r.status == "unused" for r in analysis.rows):
        raise ImportFileError(_("The file has a header but no data rows; write one row per deposit under the header."))
    return analysis


# What a row must give to be a deposit at all: without every one of these it is an unused line of the sheet.
WHO_AND_WHAT = ("national_id", "first_name", "last_name", "course_code", "course_title", "grade")


def _mark_duplicate(result: RowResult, existing: dict, seen: dict, voided: dict):
    """A deposit already in the registry, or earlier in this file, is not added again; nor is one the registry holds
    as voided with the same grade. With another grade the row is the correction, and says what it replaces. A row
    whose grade differs from the active deposit's changes nothing (a file never edits the ledger): it says how to
    correct it, as an error: counted among the duplicates, the file read "nothing new, no errors" to a registrar
    who had sent a corrected grade."""
    key = (result.national_id, result.course_code, result.academic_year, result.term)
    if key in existing:
        grade, deposit = existing[key]
        if normalize_grade(grade) == normalize_grade(result.grade):
            result.status = "duplicate"
            result.note("duplicate_registry")
        else:
            result.error(
                "grade", "grade_differs_from_recorded", {"grade": grade, "typed": result.grade, "deposit": deposit}
            )
    elif key in seen:
        row, grade = seen[key]
        if normalize_grade(grade) == normalize_grade(result.grade):
            result.status = "duplicate"
            result.note("duplicate_file", {"row": row})
        else:  # two grades for one result: which is right is the registrar's to say (the first had been imported)
            result.error("grade", "grade_differs_in_file", {"row": row, "grade": grade, "typed": result.grade})
    else:
        seen[key] = (result.row, result.grade)
        if key in voided:
            grade, reason, voided_on = voided[key]
            params = {"grade": grade, "reason": reason[:200], "voided_on": voided_on.isoformat()}
            if normalize_grade(grade) == normalize_grade(result.grade):
                result.status = "duplicate"
                result.note("duplicate_voided", params)
            else:
                result.note("replaces_voided", params)


def _check_row(result: RowResult, values: dict, context: FileContext):
    # A formula is refused in its cell, and the rest of the row is checked as if that cell were empty: the report
    # still names the row's learner and course, and says all that is wrong with it at once.
    formulas = {key for key, text in values.items() if is_formula(text)}
    for key in sorted(formulas, key=list(values).index):
        result.error(key, "formula")
    values = {key: "" if key in formulas else text for key, text in values.items()}
    for key in REQUIRED:
        if not values[key].strip() and key not in formulas:
            result.error(key, "required")
    if is_example_row(normalize_identifier(values["national_id"])):
        result.error("national_id", "example_row")
        return
    learner = _check_learner(result, values, context)
    course = _check_course(result, values, context)
    deposit = _check_deposit(result, values, course, learner, context.today)
    if result.status != "error":
        deposit.setdefault("learning_type", course.learning_type)
        fields = {"learner": learner, "course": course, "credits": course.credits, **deposit}
        context.analysis.deposits.append((result, fields))


# The learner --------------------------------------------------------------------------------------------------


def _check_learner(result: RowResult, values: dict, context: FileContext) -> Learner | None:
    """The registered learner, one an earlier row registers, or a new one this row registers."""
    national_id = normalize_identifier(values["national_id"])
    result.national_id = national_id
    if not national_id:
        return None
    if code := identifier_problem(national_id, detect_id_type(national_id)):
        result.error("national_id", code)
        # Named as the row gives the name, so the registrar finds whose ID to retype (the cell had been empty).
        prefix, (first_name, last_name) = clean_text(values.get("prefix", "")), _names_in(values)
        # A Thai title is written joined to the name (นายสมชาย), as every list writes it; an English one apart.
        joined = f"{prefix}{first_name}" if prefix and not prefix.isascii() else f"{prefix} {first_name}".strip()
        result.learner_name = f"{joined} {last_name}".strip()
        return None
    learner = context.learners.get(national_id)
    if learner is not None:
        _name(result, learner)
        _note_other_name(result, values, learner)
        return learner
    learner = context.analysis.new_learners.get(national_id)
    if learner is not None:
        _name(result, learner)
        _compare_with_earlier_row(result, values, learner, context)
        return learner
    return _new_learner(result, values, context)


NAME_PARTS = ("prefix", "first_name", "last_name", "first_name_en", "last_name_en")


def _name(result: RowResult, learner: Learner) -> None:
    """The row's learner, by title and names: a report is read in either language, long after it was checked (a name
    written in the checker's language had read "Mr. สมชาย" on Thai pages)."""
    result.learner_name = learner.full_name
    result.names = {part: getattr(learner, part) for part in NAME_PARTS}


def learner_name(row: dict) -> str:
    """A report row's learner in the active language (a row of an older report: the name as it was written)."""
    names = row.get("names")
    return Learner(**names).full_name if names else row.get("learner_name", "")


def _names_in(values: dict) -> tuple[str, str]:
    return clean_text(values.get("first_name", "")), clean_text(values.get("last_name", ""))


def _note_other_name(result: RowResult, values: dict, learner: Learner):
    """The registry keeps a registered learner's name. One name that differs (a surname changed by marriage, a
    typo) is only noted; when neither the first nor the last name is the registry's, the row most likely carries
    someone else's ID, and is refused rather than credited to that person."""
    first_name, last_name = _names_in(values)
    if (first_name, last_name) == ("", "") or (first_name, last_name) == (learner.first_name, learner.last_name):
        return
    params = {"file": f"{first_name} {last_name}", "registry": f"{learner.first_name} {learner.last_name}"}
    if not _same_name(first_name, learner.first_name, learner.first_name_en) and not _same_name(
        last_name, learner.last_name, learner.last_name_en
    ):
        result.error("national_id", "id_of_someone_else", params)
        result.learner_name = params["file"]  # the row is not that learner's: shown under the names it gives
        result.names = {}
    else:
        result.note("name_differs_registry", params)


def _same_name(typed: str, thai: str, english: str) -> bool:
    return typed == thai or bool(english) and typed.casefold() == english.casefold()


def _compare_with_earlier_row(result: RowResult, values: dict, learner: Learner, context: FileContext):
    """A learner registered by an earlier row of this file: this row must describe the same person."""
    row = context.analysis.introduced_at[("learner", learner.national_id)]
    first_name, last_name = _names_in(values)
    prefix = PREFIXES.get(clean_text(values.get("prefix", "")).lower(), learner.prefix)
    if (first_name or last_name) and (prefix, first_name, last_name) != (
        learner.prefix,
        learner.first_name,
        learner.last_name,
    ):
        here = f"{clean_text(values.get('prefix', ''))}{first_name} {last_name}".strip()
        result.error("first_name", "learner_differs", {"row": row, "field": "name", "earlier": learner.full_name,
                                                        "here": here})  # fmt: skip
    if values.get("birth_date", "").strip():
        birth_date = _date(result, "birth_date", values["birth_date"])
        if birth_date and birth_date != learner.birth_date:
            # As rows write it (B.E.), beside the other row's text: it had read 14/05/2013 beside 15/05/2556.
            earlier = f"{learner.birth_date:%d/%m}/{learner.birth_date.year + 543}" if learner.birth_date else "—"
            result.error("birth_date", "learner_differs", {"row": row, "field": "birth_date", "earlier": earlier,
                                                            "here": values["birth_date"].strip()})  # fmt: skip


def _new_learner(result: RowResult, values: dict, context: FileContext) -> Learner:
    """A learner not yet in the registry: the row must give the prefix and the full name."""
    first_name, last_name = _names_in(values)
    prefix = _check_prefix(result, values.get("prefix", ""))
    if not first_name:
        result.error("first_name", "first_name_missing")
    if not last_name:
        result.error("last_name", "last_name_missing")
    birth_date = _date(result, "birth_date", values["birth_date"]) if values.get("birth_date") else None
    if birth_date and birth_date > context.today:
        result.error("birth_date", "birth_date_future")
    if problem := prefix_age_problem(prefix or "", birth_date, context.today):
        result.error("prefix", *problem)
    learner = Learner(
        national_id=result.national_id,
        id_type=detect_id_type(result.national_id),
        prefix=prefix or "",
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        registered_by_institution=context.institution,
    )
    if prefix:
        _name(result, learner)
    else:
        result.learner_name = f"{first_name} {last_name}"
    if result.status != "error":
        context.analysis.new_learners[result.national_id] = learner
        context.analysis.introduced_at[("learner", result.national_id)] = result.row
        result.note("learner_new")
    return learner


def _check_prefix(result: RowResult, text: str) -> str | None:
    if not text:
        result.error("prefix", "prefix_missing")
        return None
    prefix = PREFIXES.get(clean_text(text).lower())
    if prefix is None:
        result.error("prefix", "prefix_unknown")
    return prefix


# The course ---------------------------------------------------------------------------------------------------


def _check_course(result: RowResult, values: dict, context: FileContext) -> Course | None:
    """The catalogue's course, one an earlier row adds, or a new one this row adds when allowed."""
    code = catalogue_code(values["course_code"])
    result.course_code = code
    if not code:
        return None
    course = context.courses.get(code)
    if course is not None:
        _check_catalogue_credits(result, values.get("credits", ""), course)
        return course
    course = context.analysis.new_courses.get(code)
    if course is not None:
        _compare_course_with_earlier_row(result, values, course, context)
        return course
    return _new_course(result, values, context)


def _check_catalogue_credits(result: RowResult, text: str, course: Course):
    """Credits in the file, when given for a catalogue course, must be the catalogue's."""
    if not text.strip():
        return
    credits = parse_credits(text)
    if credits is None or not is_credit_amount(credits):
        result.error("credits", credits_problem(text))
    elif credits != course.credits:
        result.error(
            "credits", "credits_catalogue", {"code": course.code, "course": str(course.credits), "file": str(credits)}
        )


def _compare_course_with_earlier_row(result: RowResult, values: dict, course: Course, context: FileContext):
    """A course an earlier row of this file adds: this row must give it the same credits, title and learning type."""
    row = context.analysis.introduced_at[("course", course.code)]

    def differs(column, field_name, earlier, here):
        result.error(column, "course_differs", {"row": row, "code": course.code, "field": field_name,
                                                "earlier": earlier, "here": here})  # fmt: skip

    if values.get("credits", "").strip():
        credits = parse_credits(values["credits"])
        if credits is None or not is_credit_amount(credits):
            result.error("credits", credits_problem(values["credits"]))
        elif credits != course.credits:
            differs("credits", "credits", str(course.credits), str(credits))
    title = clean_text(values.get("course_title", ""))
    if title and title != course.title_th:
        differs("course_title", "course_title", course.title_th, title)
    learning_type = LEARNING_TYPES.get(values.get("learning_type", "").strip().lower())
    if learning_type and learning_type != course.learning_type:
        differs("learning_type", "learning_type", course.learning_type, learning_type)


def _new_course(result: RowResult, values: dict, context: FileContext) -> Course | None:
    code = result.course_code
    title = clean_text(values.get("course_title", ""))
    if not title or not values.get("credits", "").strip():
        result.error("course_code", "course_missing", {"code": code})
        return None
    credits = parse_credits(values["credits"])
    if credits is None or not is_credit_amount(credits):
        result.error("credits", credits_problem(values["credits"]))
        return None
    if not context.create_courses:
        result.error("course_code", "course_not_confirmed", {"code": code})
        return None
    learning_type = LEARNING_TYPES.get(values.get("learning_type", "").strip().lower())
    course = Course(
        institution=context.institution,
        code=code,
        title_th=title,
        credits=credits,
        level=level_from_code(code, context.institution),
        learning_type=learning_type or default_learning_type(context.institution),
    )
    context.analysis.new_courses[code] = course
    context.analysis.introduced_at[("course", code)] = result.row
    result.note(
        "course_new_at_level",
        {"code": code, "level": course.level, "credits": str(credits), "learning_type": course.learning_type},
    )
    return course


# The deposit --------------------------------------------------------------------------------------------------


def _check_deposit(
    result: RowResult, values: dict, course: Course | None, learner: Learner | None, today: datetime.date
) -> dict:
    """The deposit's own fields; a bad one is an error on its column."""
    deposit = {}
    if values["grade"]:
        result.grade = normalize_grade(values["grade"])  # shown as typed in the preview, known course or not
    if course is not None and values["grade"]:
        deposit["grade"] = result.grade
        if problem := grade_problem(result.grade, course.grade_scale):
            result.error("grade", *problem)
    if values["completed_on"] and (completed := _date(result, "completed_on", values["completed_on"])):
        birth_date = learner.birth_date if learner is not None else None
        if problem := completed_on_problem(completed, today, birth_date=birth_date):
            result.error("completed_on", *problem)
        deposit["completed_on"] = completed
    if values["academic_year"]:
        _check_academic_year(result, values["academic_year"], deposit)
        if "academic_year" in deposit and (
            problem := academic_year_problem(deposit["academic_year"], deposit.get("completed_on"), today)
        ):
            result.error("academic_year", *problem)
    if values["term"]:
        result.term = deposit["term"] = TERMS.get(ascii_digits(values["term"].strip()).lower())
        if result.term is None:
            result.error("term", "term_invalid")
    if values.get("learning_type"):
        deposit["learning_type"] = LEARNING_TYPES.get(values["learning_type"].strip().lower())
        if deposit["learning_type"] is None:
            result.error("learning_type", "learning_type_invalid")
    return deposit


def _check_academic_year(result: RowResult, text: str, deposit: dict):
    """A Buddhist Era year; a Common Era one (2025) is explained with the year it stands for."""
    try:
        year = int(text.strip())
    except ValueError:
        result.error("academic_year", "year_format")
        return
    if 2400 <= year <= 2700:
        result.academic_year = deposit["academic_year"] = year
    elif 1900 <= year <= 2200:
        result.error("academic_year", "year_common_era", {"year": year, "be": year + 543})
    else:
        result.error("academic_year", "year_format")


def _date(result: RowResult, column: str, text: str) -> datetime.date | None:
    try:
        return parse_date(text)
    except ValueError as exc:
        result.error(column, *date_problem(exc))
        return None
