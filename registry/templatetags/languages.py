"""Text people wrote, in the language they wrote it: marked so on a page in another language."""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html

register = template.Library()

THAI = re.compile("[\u0e00-\u0e7f]")


@register.filter(needs_autoescape=True)
def lang_marked(text, autoescape=True):
    """A note or reason as written, in `<span lang="th">` on a page in another language when it is Thai, so a screen
    reader reads it with a Thai voice rather than spelling it out in English (WCAG 3.1.2). On Thai pages, as is."""
    value = conditional_escape(text) if autoescape else text
    if not text or (translation.get_language() or "th").startswith("th") or not THAI.search(str(text)):
        return value
    return format_html('<span lang="th">{}</span>', value)  # value escaped above, or escaped here
