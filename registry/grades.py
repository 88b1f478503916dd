"""Grade scales (see DOMAIN.md). Each course level has a scale; each grade knows whether it earns credit.

Whether a grade earns credit or may be transferred is a property of the grade in its scale, never a string
compare in a view.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .digits import ascii_digits


@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    points: Decimal | None = None  # None: not counted in a GPA
    earns_credit: bool = True
    # Recognised prior learning and transferred credit (CS, CE, CT, CP, CN, TC, TR): credit, not in the GPA.
    recognition: bool = False

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class GradeScale:
    key: str
    name: str
    grades: tuple[Grade, ...]

    def __post_init__(self):
        object.__setattr__(self, "_by_code", {g.code: g for g in self.grades})

    def get(self, code: str) -> Grade | None:
        return self._by_code.get(normalize_grade(code))

    def __contains__(self, code: str) -> bool:
        return self.get(code) is not None

    @property
    def codes(self) -> list[str]:
        return [g.code for g in self.grades]

    def choices(self) -> list[tuple[str, str]]:
        return [(g.code, f"{g.code} – {g.label}") for g in self.grades]

    def earns_credit(self, code: str) -> bool:
        grade = self.get(code)
        return bool(grade and grade.earns_credit)

    def meets_minimum(self, code: str, minimum_points: Decimal) -> bool:
        """A grade meets a minimum if it has points at or above it, or is a credit-earning pass/notation."""
        grade = self.get(code)
        if grade is None or not grade.earns_credit:
            return False
        return grade.points is None or grade.points >= minimum_points


def _points(*pairs):
    """Graded results: every grade above zero earns credit; 0 (or F) is a fail."""
    return tuple(Grade(code, label, Decimal(points), earns_credit=Decimal(points) > 0) for code, label, points in pairs)


RECOGNITION = (
    Grade("CS", _("credit by standardized test"), recognition=True),
    Grade("CE", _("credit by institutional examination"), recognition=True),
    Grade("CT", _("credit from training"), recognition=True),
    Grade("CP", _("credit by portfolio"), recognition=True),
    Grade("CN", _("credit from a non-degree programme"), recognition=True),
    Grade("TC", _("credit transferred from another institution"), recognition=True),
    Grade("TR", _("credit transferred under an equivalence rule"), recognition=True),
)

BASIC = GradeScale(
    "basic",
    _("basic education"),
    _points(
        ("4", _("excellent (80–100%)"), "4"),
        ("3.5", _("very good (75–79%)"), "3.5"),
        ("3", _("good (70–74%)"), "3"),
        ("2.5", _("fairly good (65–69%)"), "2.5"),
        # The basic education core curriculum's words: 2 น่าพอใจ (satisfactory), 1.5 พอใช้ (fair).
        ("2", _("satisfactory (60–64%)"), "2"),
        ("1.5", _("fair (55–59%)"), "1.5"),
        ("1", _("minimum pass (50–54%)"), "1"),
        ("0", _("fail (below 50%)"), "0"),
    )
    + (
        Grade("ผ", _("pass"), None),
        Grade("มผ", _("not passed"), None, earns_credit=False),
        Grade("ร", _("result pending"), None, earns_credit=False),
        Grade("มส", _("not allowed to sit the final"), None, earns_credit=False),
    )
    + RECOGNITION,
)

VOCATIONAL = GradeScale(
    "vocational",
    _("vocational education"),
    _points(
        ("4", _("excellent"), "4"),
        ("3.5", _("very good"), "3.5"),
        ("3", _("good"), "3"),
        ("2.5", _("fairly good"), "2.5"),
        ("2", _("fair"), "2"),
        ("1.5", _("weak"), "1.5"),
        ("1", _("very weak"), "1"),
        ("0", _("fail"), "0"),
    )
    + (
        Grade("ผ", _("pass"), None),
        Grade("มผ", _("not passed"), None, earns_credit=False),
        Grade("ข.ร.", _("attendance under 80%"), None, earns_credit=False),
        Grade("ข.ส.", _("missed the final examination"), None, earns_credit=False),
        Grade("ถ.ล.", _("late withdrawal"), None, earns_credit=False),
    )
    + RECOGNITION,
)

HIGHER = GradeScale(
    "higher",
    _("higher education"),
    _points(
        ("A", _("excellent"), "4"),
        ("B+", _("very good"), "3.5"),
        ("B", _("good"), "3"),
        ("C+", _("fairly good"), "2.5"),
        ("C", _("fair"), "2"),
        ("D+", _("poor"), "1.5"),
        ("D", _("very poor"), "1"),
        ("F", _("fail"), "0"),
    )
    + (
        Grade("S", _("satisfactory"), None),
        Grade("U", _("unsatisfactory"), None, earns_credit=False),
        Grade("W", _("withdrawn"), None, earns_credit=False),
        Grade("I", _("incomplete"), None, earns_credit=False),
    )
    + RECOGNITION,
)

SCALES = {scale.key: scale for scale in (BASIC, VOCATIONAL, HIGHER)}

# Everything any scale accepts: the database's own check on CreditDeposit.grade.
ALL_GRADE_CODES = sorted({g.code for scale in SCALES.values() for g in scale.grades})

_ALIASES = {
    "ขร": "ข.ร.",
    "ขส": "ข.ส.",
    "ถล": "ถ.ล.",
    "ม.ผ.": "มผ",
    "ม.ส.": "มส",
}


def normalize_grade(code: str) -> str:
    """A grade as typed, in its scale's spelling: "๓.๕" in Thai digits is the same grade as "3.5", and so are "3.50"
    and "4.00" (a spreadsheet's number format with two decimals)."""
    code = ascii_digits(" ".join((code or "").split()).upper().replace(" ", ""))
    if _NUMBER.fullmatch(code):
        return format(Decimal(code).normalize(), "f")
    return _ALIASES.get(code, code)


_NUMBER = re.compile(r"\d{1,3}(\.\d{1,4})?")


def _earning_codes() -> list[str]:
    """Grade codes that earn credit. A code means the same in every scale that has it (checked here)."""
    verdicts: dict[str, set[bool]] = {}
    for scale in SCALES.values():
        for grade in scale.grades:
            verdicts.setdefault(grade.code, set()).add(grade.earns_credit)
    mixed = [code for code, seen in verdicts.items() if len(seen) > 1]
    if mixed:
        raise ValueError(f"grade codes earn credit in one scale but not another: {mixed}")
    return sorted(code for code, seen in verdicts.items() if True in seen)


CREDIT_EARNING_CODES = _earning_codes()


def _thai_script_codes() -> dict[str, Grade]:
    """Grade codes written in Thai letters (ผ, มผ, ข.ร. …), which an English reader cannot read. Each means the same
    in every scale that has it (checked here), so its label can be given without knowing the course's scale."""
    found: dict[str, Grade] = {}
    for scale in SCALES.values():
        for grade in scale.grades:
            if grade.code.isascii():
                continue
            seen = found.setdefault(grade.code, grade)
            if str(seen.label) != str(grade.label) or seen.earns_credit != grade.earns_credit:
                raise ValueError(f"grade code {grade.code} means different things in different scales")
    return found


THAI_SCRIPT_CODES = _thai_script_codes()


def grade_meaning(code: str) -> str | None:
    """What a Thai-script grade code means, in the active language ("pass" for ผ); None for any other code."""
    grade = THAI_SCRIPT_CODES.get(code)
    return str(grade.label) if grade else None


def grade_key(deposits) -> list:
    """The grades a page or transcript shows, each with its meaning in its course's scale, in the scale's own order (4
    before 3.5, ผ after the points): a reader abroad cannot know that ผ is a pass or that 2 is "fair"."""
    shown: dict[str, set[str]] = {}
    scales = {}
    for d in deposits:
        scale = d.course.grade_scale
        scales[scale.key] = scale
        shown.setdefault(scale.key, set()).add(d.grade)
    return [
        (scales[key].name, [g for g in scales[key].grades if g.code in shown[key]])
        for key in sorted(shown, key=list(SCALES).index)
    ]
