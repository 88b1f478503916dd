"""Rules for a learner's record, one home for the registration form and the importer: a title that fits the age."""

import datetime

# DOMAIN: เด็กชาย / เด็กหญิง under 15; นาย / นางสาว (or นาง) from 15.
CHILD_PREFIXES = frozenset({"boy", "girl"})
ADULT_FROM = 15


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def prefix_age_problem(prefix: str, birth_date: datetime.date | None, today: datetime.date) -> tuple[str, dict] | None:
    """(message code, params) when the title does not fit the age on `today` (a child's title for an adult printed
    "เด็กหญิง" on a 21-year-old's transcript), else None. Without a birth date there is nothing to check."""
    if not prefix or birth_date is None or birth_date > today:
        return None
    age = age_on(birth_date, today)
    if prefix in CHILD_PREFIXES and age >= ADULT_FROM:
        return "prefix_child_for_adult", {"age": age}
    if prefix not in CHILD_PREFIXES and age < ADULT_FROM:
        return "prefix_adult_for_child", {"age": age}
    return None
