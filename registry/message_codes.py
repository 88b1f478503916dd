"""Messages kept as a code and its parameters, put into words only when shown, in the reader's language.

An import report is read by other registrars, in Thai or in English, long after it was made: it stores
`["credits", "credits_amount", {}]`, never a sentence. `render` turns a code into the words of the active language.
"""

import calendar
import datetime

from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .choices import LearningType, Level
from .grades import SCALES
from .templatetags.numbers import credits_unit
from .templatetags.thaidate import format_date

# A code, or a code with two wordings: what will happen (a preview), what did happen (after the import).
MESSAGES = {
    # Cells and files
    "formula": _("Formulas are not accepted; type the value itself."),
    "required": _("This column must not be empty."),
    "example_row": _("This is the template's example row; delete it and write your own rows in its place."),
    # Identifiers
    "id_length": _("A national ID has 13 digits; check the number and type it again."),
    "id_checksum": _("This national ID's check digit is wrong; check every digit against the ID card."),
    "id_company": _(
        "This 13-digit number starts with 0, as a company's tax ID does; a person's national ID starts with 1 to "
        "8. Type the learner's own ID, or their G-code or passport number."
    ),
    "id_not_issued": _(
        "This 13-digit number has a valid check digit but starts with 9, which no Thai national ID does; type the "
        "learner's own ID, or their G-code or passport number."
    ),
    "id_phone": _(
        "This looks like a phone number (10 digits starting with 0), not a national ID; a national ID has 13 digits."
    ),
    "g_code_format": _("A G-code is the letter G followed by 12 digits, for example G123456789012."),
    "passport_format": _("A passport number has 6 to 15 letters or digits."),
    "id_spreadsheet_number": _(
        "A spreadsheet turned this ID into a number (such as 6.42045E+12) and lost its last digits: format the ID "
        "column as text, type the IDs again, then save the file."
    ),
    "id_is_a_name": _(
        "This is a name, not an ID: type the learner's 13-digit ID from their card. To find someone by name, use the "
        "learners page."
    ),
    # Learners
    "prefix_missing": _("A learner not yet in the registry needs a prefix (นาย, นางสาว, นาง, เด็กชาย, เด็กหญิง)."),
    "prefix_unknown": _("Unknown prefix; use นาย, นางสาว, นาง, เด็กชาย or เด็กหญิง."),
    "prefix_child_for_adult": _(
        "เด็กชาย and เด็กหญิง are for children under 15, and this learner is %(age)s: choose นาย, นางสาว or นาง, or "
        "check the birth date."
    ),
    "prefix_adult_for_child": _("This learner is %(age)s, under 15: choose เด็กชาย or เด็กหญิง, or check the birth date."),
    "first_name_missing": _("A learner not yet in the registry needs a first name."),
    "last_name_missing": _("A learner not yet in the registry needs a last name."),
    "birth_date_future": _("The birth date cannot be in the future."),
    "learner_differs": _(
        "Row %(row)s registers this learner with %(field)s %(earlier)s, but this row says %(here)s; write the "
        "same on both rows."
    ),
    "id_of_someone_else": _(
        "This ID is registered to %(registry)s, but the row names %(file)s: check the ID on this row. If it is the "
        "same person, write the name as the registry has it."
    ),
    "name_differs_registry": _(
        "The name in the file (%(file)s) differs from the registry (%(registry)s); the registry is kept."
    ),
    "learner_new": (_("New learner: will be registered."), _("New learner: registered.")),
    # Courses
    "course_missing": _(
        "Course %(code)s is not in your catalogue. Add it first, or give course_title and credits to add it."
    ),
    "course_not_confirmed": _(
        "Course %(code)s is not in your catalogue. To add it, upload the file again with the box 'Add courses that "
        "are not yet in the catalogue' ticked (the row must give course_title and credits)."
    ),
    "course_differs": _(
        "Row %(row)s adds course %(code)s with %(field)s %(earlier)s, but this row says %(here)s; write the same on "
        "both rows."
    ),
    "credits_catalogue": _("Course %(code)s has %(course)s credits in the catalogue, not %(file)s."),
    "course_new": (  # in reports made before the level was said
        _("New course %(code)s will be added to the catalogue."),
        _("New course %(code)s was added to the catalogue."),
    ),
    # The level is worked out from the code and the institution: said, so that a wrong one is seen and corrected.
    "course_new_at_level": (
        _(
            "New course %(code)s will be added to the catalogue: %(level)s, %(credits)s, %(learning_type)s. If that "
            "is not right, add the course on the Courses page first, then upload the file again."
        ),
        _("New course %(code)s was added to the catalogue: %(level)s, %(credits)s, %(learning_type)s."),
    ),
    # Deposits
    "credits_amount": _("Credits must be a number from 0.5 to 99, in half-credit steps (e.g. 1.5)."),
    "credits_as_date": _(
        "The spreadsheet turned these credits into a date (as it does with 1-2-2 typed into a General cell): format "
        "the credits column as Text, type the credits again, and upload the file again."
    ),
    "grade_scale": _("Grade %(grade)s is not in the %(scale)s scale; choose one of: %(codes)s."),
    "completed_future": _("The completion date cannot be in the future."),
    "completed_before_birth": _(
        "The completion date is before the learner was born; check the year (Buddhist Era, e.g. 2568)."
    ),
    "year_future": _("Academic year %(year)s has not begun yet (this is %(current)s); check the year."),
    "year_long_before_completion": _(
        "Academic year %(year)s ended more than a year before the course was completed (in academic year "
        "%(completed)s); check the academic year or the completion date."
    ),
    "year_after_completion": _(
        "The course was completed in academic year %(completed)s, before academic year %(year)s began (each begins "
        "in May); check the academic year or the completion date."
    ),
    "date_format": _("Write the date as YYYY-MM-DD or DD/MM/YYYY (e.g. 15/03/2025)."),
    "date_no_day": _("There is no day %(day)s in %(month)s (that month has %(days)s days); write a date that exists."),
    "date_no_month": _("There is no month %(month)s; the month is 1 to 12, e.g. 15/03/2025."),
    "date_bad_year": _(
        "The year %(year)s is neither a Buddhist Era year (such as 2568) nor a Common Era one (such as 2025)."
    ),
    "year_common_era": _(
        "%(year)s is a Common Era year; the academic year is written in the Buddhist Era: %(year)s + 543 = %(be)s."
    ),
    "year_format": _("Write the academic year in the Buddhist Era, e.g. 2568."),
    "term_invalid": _("The term is 1, 2 or 3 (summer)."),
    "learning_type_invalid": _("The learning type is formal, non_formal or informal (or leave it empty)."),
    "duplicate_registry": (
        _("Already recorded: this deposit is in the registry and will not be added again."),
        _("Already recorded: this deposit was in the registry and was not added again."),
    ),
    "passed_before": (
        _(
            "The learner also passed this course in %(year)s/%(term)s (grade %(grade)s): both will be on record, its "
            "credits counted once."
        ),
        _(
            "The learner also passed this course in %(year)s/%(term)s (grade %(grade)s): both are on record, its "
            "credits counted once."
        ),
    ),
    "grade_differs_from_recorded": _(
        "Already recorded with grade %(grade)s (deposit #%(deposit)s), not %(typed)s, and a file does not change a "
        "recorded grade. If %(grade)s is right, take this row out of the file; if %(typed)s is right, first void "
        "deposit #%(deposit)s with the reason. Then upload the file again."
    ),
    # Reports written before such a row was an error keep this note.
    "duplicate_other_grade": (
        _(
            "Already recorded with grade %(grade)s (deposit #%(deposit)s), not %(typed)s: a file does not change it. "
            "If %(typed)s is right, void deposit #%(deposit)s with the reason, then upload the file again."
        ),
        _(
            "Was recorded with grade %(grade)s (deposit #%(deposit)s), not %(typed)s: the file did not change it. If "
            "%(typed)s is right, void deposit #%(deposit)s with the reason, then upload the file again."
        ),
    ),
    # A file sent again after a deposit of it was voided: the voided one is not brought back.
    "duplicate_voided": (
        _(
            "This deposit, grade %(grade)s, was voided on %(voided_on)s (reason: %(reason)s) and will not be added "
            "again. If it is right after all, record it on the Record credits page."
        ),
        _("This deposit, grade %(grade)s, was voided on %(voided_on)s (reason: %(reason)s) and was not added again."),
    ),
    "replaces_voided": (
        _("Will be added in place of the deposit with grade %(grade)s voided on %(voided_on)s (reason: %(reason)s)."),
        _("Added in place of the deposit with grade %(grade)s voided on %(voided_on)s (reason: %(reason)s)."),
    ),
    "duplicate_file": _("The same learner, course, year and term are on row %(row)s of this file."),
    "unused_row": _(
        "No learner, course or grade on this row (only its number, year or term): nothing to record, so it is left out."
    ),
    "grade_differs_in_file": _(
        "Row %(row)s of this file gives the same learner, course, year and term grade %(grade)s, this row %(typed)s: "
        "keep the row with the right grade and take the other out, then upload the file again."
    ),
}

FIELDS = {
    "name": _("name"),
    "birth_date": _("birth date"),
    "credits": _("credits"),
    "course_title": _("course title"),
    "learning_type": _("learning type"),
}


def render(code: str, params: dict | None = None, *, done: bool = False) -> str:
    """The words for a code in the active language; `done` picks the past tense where there is one."""
    wording = MESSAGES.get(code)
    if wording is None:  # a report written before messages had codes holds the sentence itself
        return code
    if isinstance(wording, tuple):
        wording = wording[1 if done else 0]
    params = dict(params or {})
    if "scale" in params and params["scale"] in SCALES:
        params["scale"] = SCALES[params["scale"]].name
    if code == "date_no_day":
        days = calendar.monthrange(params.get("year", 2000), params["month"])[1]
        params.update(month=MONTHS[params["month"]], days=days)
    if "voided_on" in params:
        params["voided_on"] = format_date(datetime.date.fromisoformat(params["voided_on"]))
    if "field" in params:
        params["field"] = FIELDS.get(params["field"], params["field"])
    if code == "course_new_at_level":
        params["credits"] = credits_unit(params["credits"])
    if "level" in params:
        params["level"] = dict(Level.choices).get(params["level"], params["level"])
    if "learning_type" in params:
        params["learning_type"] = dict(LearningType.choices).get(params["learning_type"], params["learning_type"])
    return str(wording) % params if params else str(wording)


def render_error(entry: list) -> tuple[str, str]:
    """One report error, [column, code, params] (or [column, sentence] from before), as (column, words)."""
    if len(entry) == 2:
        return entry[0], entry[1]
    column, code, params = entry
    return column, render(code, params)


def render_note(entry, *, done: bool = False) -> str:
    if isinstance(entry, str):
        return entry
    code, params = entry
    return render(code, params, done=done)
