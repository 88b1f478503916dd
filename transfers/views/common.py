"""What the rule pages and the request pages share: the staff-only decorator, and the way from one item of a list
to decide to the next."""

from django.db.models import Q

from registry.access import is_provincial_staff, role_required
from registry.query import row_id

staff_required = role_required(is_provincial_staff)


def next_after(qs, after: str, field: str, *, newest_first: bool = False):
    """The first of `qs` (ordered by `field`, then pk; both descending with `newest_first`, as the list the officer
    came from is) after the row numbered `after` (the first of all when `after` names no row: not a number, a
    bigint), never that row itself; None past the end: the list is not started again without a word (an officer who
    passed a request over went round the same two for ever). The way from a request or a rule just decided to the
    next one to decide."""
    number = row_id(after)
    if number is None:
        return qs.first()
    current = qs.model.objects.filter(pk=number).values_list(field, flat=True).first()
    if current is None:
        return qs.exclude(pk=number).first()
    beyond = "lt" if newest_first else "gt"
    return qs.filter(Q(**{f"{field}__{beyond}": current}) | Q(**{field: current, f"pk__{beyond}": number})).first()


def still_waiting(qs, after: str) -> int:
    """How many of `qs` are left but the row numbered `after`: at the end of the list, those still waiting for the
    officer (passed over, or come in since at the top of a newest-first list), which are said to be waiting."""
    number = row_id(after)
    return (qs if number is None else qs.exclude(pk=number)).count()
