"""Thai is the default language: every string of ours has a Thai translation, compiled into the .mo file."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "th" / "LC_MESSAGES" / "django.po"


def po_entries():
    text = PO.read_text(encoding="utf-8")
    for match in re.finditer(
        r'(?ms)^(#,[^\n]*\n)?(?:msgctxt ((?:".*?"\n)+))?msgid ((?:".*?"\n)+)msgstr ((?:".*?"\n)+)', text
    ):
        flags, msgid, msgstr = match.group(1) or "", match.group(3), match.group(4)
        join = lambda s: "".join(re.findall(r'"(.*)"', s)).replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
        if join(msgid):
            yield flags, join(msgid), join(msgstr)


def test_every_message_has_a_thai_translation_that_is_not_fuzzy():
    entries = list(po_entries())
    assert len(entries) > 100
    untranslated = [msgid for flags, msgid, msgstr in entries if not msgstr or "fuzzy" in flags]
    assert not untranslated


def test_the_compiled_catalogue_matches_the_po_file():
    stale = []
    with translation.override("th"):
        for _flags, msgid, msgstr in po_entries():
            if translation.gettext(msgid) != msgstr:
                stale.append(msgid)
    assert not stale, f"run `make messages`: {stale[:5]}"
