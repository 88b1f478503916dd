"""Checks on the HTML a page sends, for tests that walk many pages."""

from html.parser import HTMLParser


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.repeated = []

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        self.repeated += [f"<{tag} {name}=…>" for name in sorted(set(names)) if names.count(name) > 1]

    handle_startendtag = handle_starttag


def repeated_attributes(html: str) -> list[str]:
    """Tags that carry an attribute twice. A browser keeps the first and drops the other without a word: a widget
    given type="search" beside Django's type="text" stays a text box, and its htmx "search" trigger never fires."""
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.repeated
