"""Thai digits, as typed on a Thai keyboard or kept by a spreadsheet ("๑๒๓", "๓.๕"), read as 0-9 where a value is a
number or a code (a national ID, a grade, a term); never in names and titles, which keep what was typed."""

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def ascii_digits(value: str) -> str:
    return value.translate(THAI_DIGITS)
