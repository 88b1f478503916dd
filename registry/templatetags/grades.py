"""Grades as a reader of the page's language can read them: {{ deposit.grade|grade }}.

A code in Thai letters (ผ, มผ, ข.ร. …) is kept on every page, since it is what the institution recorded, and on a
page in another language its meaning follows it: "ผ (pass)". Codes in Latin letters and numbers read the same in
both languages and are shown as they are.
"""

from django import template
from django.utils import translation

from registry.grades import grade_meaning

register = template.Library()


@register.filter
def grade(code) -> str:
    if not code:
        return ""
    code = str(code)
    if code.isascii() or (translation.get_language() or "th").startswith("th"):
        return code
    meaning = grade_meaning(code)
    return f"{code}\u00a0({meaning})" if meaning else code  # kept on one line in a narrow column
