"""Thai is the default language: every string of ours has a Thai translation, compiled into the .mo file."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "th" / "LC_MESSAGES" / "django.po"
LINES = r'((?:"[^\n]*"\n)+)'
ENTRY = re.compile(
    rf"(?m)^(#,[^\n]*\n)?(?:msgctxt {LINES})?msgid {LINES}(?:msgid_plural {LINES})?msgstr(?:\[0\])? {LINES}"
)


def join(lines):
    return "".join(re.findall(r'"(.*)"', lines or "")).replace('\\"', '"').replace("\\n", "\n")


def po_entries():
    for match in ENTRY.finditer(PO.read_text(encoding="utf-8")):
        flags, context = match.group(1) or "", join(match.group(2))
        msgid, plural, msgstr = join(match.group(3)), join(match.group(4)), join(match.group(5))
        if msgid:
            yield flags, context, msgid, plural, msgstr


def test_every_message_has_a_thai_translation_that_is_not_fuzzy():
    entries = list(po_entries())
    assert len(entries) > 200
    untranslated = [msgid for flags, _context, msgid, _plural, msgstr in entries if not msgstr or "fuzzy" in flags]
    assert not untranslated


def test_the_compiled_catalogue_matches_the_po_file():
    stale = []
    with translation.override("th"):
        for _flags, context, msgid, plural, msgstr in po_entries():
            if context:
                got = translation.pgettext(context, msgid)
            else:
                got = translation.ngettext(msgid, plural, 1) if plural else translation.gettext(msgid)
            if got != msgstr:
                stale.append(msgid)
    assert not stale, f"run `make messages`: {stale[:5]}"
