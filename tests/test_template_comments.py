"""A Django {# comment #} ends on its own line; one carried onto the next is printed on the page as text (the verify
page showed its own comment to every visitor). Longer notes use {% comment %}."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_template_comment_runs_onto_a_second_line():
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\{#(?!.*?#\})", line)
    ]
    assert not unclosed, unclosed
