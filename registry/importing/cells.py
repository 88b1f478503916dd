"""What the text of a cell means: prefixes, learning types, terms, numbers, and what a new course's code implies."""

import re
from decimal import Decimal, InvalidOperation

from ..digits import ascii_digits
from ..models import Institution, InstitutionKind, LearningType, Level, Prefix

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


def is_formula(text: str) -> bool:
    """A cell a spreadsheet would compute; a signed number such as -1 is not one."""
    return text.startswith(FORMULA_START) and not _is_number(text)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


# A vocational course's credits written theory-practice-credits ("1-2-2", DOMAIN): the credits are the last number.
THEORY_PRACTICE_CREDITS = re.compile(r"\d{1,2}\s*-\s*\d{1,2}\s*-\s*(\d{1,2}(?:\.\d)?)")


def credits_problem(text: str) -> str:
    """The message code for a credits cell that is no credit amount: "1-2-2" typed into a spreadsheet's General cell
    becomes a date (2001-02-02), which no reading of credits can undo, so it is said so."""
    return "credits_as_date" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()) else "credits_amount"


def parse_credits(text: str) -> Decimal | None:
    """The number a credits cell holds ("1.5", or "1-2-2" as vocational catalogues write a course's hours and
    credits), or None; whether it is a credit amount is `deposit_rules`' business."""
    text = ascii_digits(text.strip())
    if written := THEORY_PRACTICE_CREDITS.fullmatch(text):
        text = written.group(1)
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


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
