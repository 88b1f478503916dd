"""Page addresses as the page repeats them (the language switch's way back): never with a national ID in them."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import template

from ..identifiers import looks_like_personal_id

register = template.Library()


@register.filter
def without_personal_ids(address: str) -> str:
    """The address with every query parameter that holds a national ID or G-code left out (a search refuses them,
    registry.query.PERSONAL_ID_REFUSED; the way back must not carry one to the next address either)."""
    parts = urlsplit(address)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in query if not looks_like_personal_id(value)]
    if len(kept) == len(query):
        return address
    return urlunsplit(parts._replace(query=urlencode(kept)))
