"""Reasons for decisions, stored as codes and words as typed: a standard reason is rendered in the reader's language.

An approval may use a standard reason ("meets every condition of the rule"), with or without the officer's own words.
The decision keeps the reason's code (`standard:rule`, then a space and the typed words), so a learner reading in
English and an officer reading in Thai each see it in their own language. What an officer typed stays as typed.
"""

from django.utils.translation import gettext_lazy as _

from registry.identifiers import clean_text

PREFIX = "standard:"

# Standard reasons an officer picks for an approval (free text may be added); a rejection is always explained in words.
APPROVAL_REASONS = [
    ("rule", _("Meets every condition of the approved equivalence rule")),
    ("assessment", _("Passed the assessment of prior learning")),
    ("committee", _("Approved by resolution of the transfer committee")),
]


def reasons_for(verdict: str) -> list[tuple[str, str]]:
    """The standard approval reasons that can be true of an item: "meets the rule" of one under an approved rule,
    "passed the assessment" of one with no rule (verdict "assessment"); a committee's resolution of either."""
    left_out = "rule" if verdict == "assessment" else "assessment"
    return [(code, label) for code, label in APPROVAL_REASONS if code != left_out]


def approval_reason(code: str, text: str) -> str:
    """The stored form of a picked standard reason and the officer's own words; either may be empty."""
    text = clean_text(text)
    if code in dict(APPROVAL_REASONS):
        return f"{PREFIX}{code} {text}" if text else f"{PREFIX}{code}"
    return text


def reason_text(stored: str) -> str:
    """A stored reason as the reader reads it: the standard reason in the active language, then the typed words."""
    if not stored.startswith(PREFIX):
        return stored
    code, _space, text = stored[len(PREFIX) :].partition(" ")
    label = dict(APPROVAL_REASONS).get(code)
    if label is None:
        return stored
    return f"{label}: {text}" if text else str(label)
