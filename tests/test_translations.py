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


def test_every_message_in_the_code_and_templates_is_in_the_thai_catalogue(tmp_path):
    """What `make messages` would extract today, translated: a string added without its Thai fails here, not on a
    Thai page. Runs makemessages on a copy of the sources, so the real catalogue is never rewritten."""
    import shutil
    import subprocess
    import sys

    import pytest

    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")
    root = PO.parents[3]
    for name in ["creditbank", "registry", "transfers", "transcripts", "templates", "locale"]:
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-location", "--no-obsolete"],
        cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    fresh = (tmp_path / "locale" / "th" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    # Nothing in the catalogue is lost by `make messages`: an entry no source names (Django's own messages that we
    # translate, say) would be dropped by --no-obsolete and its page would go back to English.
    extracted = {join(match.group(3)) for match in ENTRY.finditer(fresh)}
    lost = [msgid for _flags, _context, msgid, _plural, _msgstr in po_entries() if msgid not in extracted]
    assert not lost, f"`make messages` would drop these (name Django's in creditbank/django_messages.py): {lost[:10]}"
    untranslated = []
    for match in ENTRY.finditer(fresh):
        flags, msgid, msgstr = match.group(1) or "", join(match.group(3)), join(match.group(5))
        if msgid and (not msgstr or "fuzzy" in flags):
            untranslated.append(msgid)
    assert not untranslated, f"{len(untranslated)} messages with no Thai translation: {untranslated[:20]}"


def test_levels_of_education_read_in_english_on_english_pages():
    """Thai pages give the Thai abbreviation (ปวช., ปวส.), which an English reader cannot read."""
    from registry.choices import Level

    with translation.override("en"):
        thai_letters = [str(label) for label in Level.labels if re.search("[\u0e00-\u0e7f]", str(label))]
    assert not thai_letters
    with translation.override("th"):
        assert "(ปวช.)" in str(Level.VOCATIONAL_CERTIFICATE.label)
