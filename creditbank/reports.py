"""Province-wide figures for the dashboard, the committee's reports and the public page. Reads only.

Every figure is one grouped query over the ledger; nothing here loops over rows in Python.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Min, Q
from django.utils import timezone

from registry.grades import CREDIT_EARNING_CODES
from registry.models import (
    CreditDeposit,
    CreditImport,
    DepositOrigin,
    Institution,
    Learner,
    LearningType,
    Level,
    local_name,
)
from transfers.models import WAITING_STATUSES, Equivalence, EquivalenceStatus, RequestStatus, TransferRequest

SUPPRESS_BELOW = 5
DECIDED = [RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED, RequestStatus.REJECTED]


class DateBasis:
    """Which date a date range reads on deposits: when the credits were earned, or when they were typed in."""

    COMPLETED = "completed"  # the completion date: what was earned in the period (the committee's question)
    RECORDED = "recorded"  # the entry date: what was entered in the period (audits of registrars' work)


def academic_year_dates(year: int, term: int | None = None) -> tuple[datetime.date, datetime.date]:
    """The days of a Thai academic year (B.E.), May to April, or of one of its terms (1: May–October,
    2: November–March, 3 summer: April). Used where only a date exists: requests, imports, registrations."""
    ce = year - 543
    if term == 1:
        return datetime.date(ce, 5, 1), datetime.date(ce, 10, 31)
    if term == 2:
        return datetime.date(ce, 11, 1), datetime.date(ce + 1, 3, 31)
    if term == 3:
        return datetime.date(ce + 1, 4, 1), datetime.date(ce + 1, 4, 30)
    return datetime.date(ce, 5, 1), datetime.date(ce + 1, 4, 30)


@dataclass
class Period:
    """What a report covers: an academic year (B.E.) and term, and/or a date range read on `basis`.

    Deposits count by their own academic year and term, and a date range reads their completion date (or, for
    audits, their entry date). Requests, imports and registrations have only a date: they count by the days of the
    range, or else of the academic year or term.
    """

    start: datetime.date | None = None
    end: datetime.date | None = None
    academic_year: int | None = None
    term: int | None = None
    basis: str = DateBasis.COMPLETED

    @property
    def is_all_time(self) -> bool:
        return not (self.start or self.end or self.academic_year)

    def days(self) -> tuple[datetime.date | None, datetime.date | None]:
        if self.start or self.end or not self.academic_year:
            return self.start, self.end
        return academic_year_dates(self.academic_year, self.term)

    def filter(self, field_name: str) -> Q:
        """Rows whose timestamp falls in the period's days (both ends included, in Thailand's days)."""
        start, end = self.days()
        condition = Q()
        if start:
            condition &= Q(**{f"{field_name}__date__gte": start})
        if end:
            condition &= Q(**{f"{field_name}__date__lte": end})
        return condition


@dataclass
class Figures:
    period: Period
    totals: dict = field(default_factory=dict)
    by_institution: list = field(default_factory=list)
    by_learning_type: list = field(default_factory=list)
    by_level: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    pipeline: dict = field(default_factory=dict)
    mou_activity: list = field(default_factory=list)


def deposits_in(period: Period):
    """Active earned deposits of the period, as `province_figures` counts them."""
    qs = CreditDeposit.objects.active().filter(origin=DepositOrigin.EARNED)
    if period.academic_year:
        qs = qs.filter(academic_year=period.academic_year)
    if period.term:
        qs = qs.filter(term=period.term)
    if period.basis == DateBasis.RECORDED:
        return qs.filter(Period(period.start, period.end).filter("recorded_at"))
    if period.start:
        qs = qs.filter(completed_on__gte=period.start)
    if period.end:
        qs = qs.filter(completed_on__lte=period.end)
    return qs


EARNING = Q(grade__in=CREDIT_EARNING_CODES)

# One scan of the ledger for the totals and every breakdown (GROUPING SETS): the dashboard's largest cost.
# A period counts what was earned in it: the deposit's academic year and term, and its completion date; the entry
# date (recorded_at) only when an audit asks for it.
GROUPED_SQL = """
WITH counted AS (  -- a course passed again counts once: its first completed pass (registry.selectors.balance_of)
    SELECT DISTINCT ON (learner_id, course_id) id FROM registry_creditdeposit
    WHERE status = 'active' AND origin = 'earned' AND grade = ANY(%(earning)s)
    ORDER BY learner_id, course_id, completed_on, id
)
SELECT c.institution_id, d.learning_type, c.level, d.academic_year,
       GROUPING(c.institution_id, d.learning_type, c.level, d.academic_year) AS grouping,
       count(*) AS deposits, count(DISTINCT d.learner_id) AS learners,
       coalesce(sum(d.credits) FILTER (WHERE counted.id IS NOT NULL), 0) AS credits
FROM registry_creditdeposit d JOIN registry_course c ON c.id = d.course_id LEFT JOIN counted ON counted.id = d.id
WHERE d.status = 'active' AND d.origin = 'earned'
  AND (%(year)s::smallint IS NULL OR d.academic_year = %(year)s)
  AND (%(term)s::smallint IS NULL OR d.term = %(term)s)
  AND (%(completed_from)s::date IS NULL OR d.completed_on >= %(completed_from)s)
  AND (%(completed_to)s::date IS NULL OR d.completed_on <= %(completed_to)s)
  AND (%(recorded_from)s::timestamptz IS NULL OR d.recorded_at >= %(recorded_from)s)
  AND (%(recorded_to)s::timestamptz IS NULL OR d.recorded_at < %(recorded_to)s)
GROUP BY GROUPING SETS ((c.institution_id), (d.learning_type), (c.level), (d.academic_year), ())
"""
# GROUPING() bits, institution first: 0b0111 means grouped by institution only, and so on.
BY_INSTITUTION, BY_TYPE, BY_LEVEL, BY_YEAR, TOTAL = 0b0111, 0b1011, 0b1101, 0b1110, 0b1111


def _bounds(period: Period):
    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    start = midnight(period.start) if period.start else None
    end = midnight(period.end + datetime.timedelta(days=1)) if period.end else None
    return start, end


def _grouped_rows(period: Period) -> dict[int, list[dict]]:
    params = {
        "earning": CREDIT_EARNING_CODES, "year": period.academic_year, "term": period.term,
        "completed_from": None, "completed_to": None, "recorded_from": None, "recorded_to": None,
    }  # fmt: skip
    if period.basis == DateBasis.RECORDED:
        params["recorded_from"], params["recorded_to"] = _bounds(period)
    else:
        params["completed_from"], params["completed_to"] = period.start, period.end
    with connection.cursor() as cursor:
        cursor.execute(GROUPED_SQL, params)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    grouped: dict[int, list[dict]] = {key: [] for key in (BY_INSTITUTION, BY_TYPE, BY_LEVEL, BY_YEAR, TOTAL)}
    for row in rows:
        grouped[row["grouping"]].append(row)
    return grouped


def province_figures(period: Period | None = None) -> Figures:
    period = period or Period()
    grouped = _grouped_rows(period)
    institutions = {
        i["pk"]: {**i, "name": local_name(i["name_th"], i["name_en"])}
        for i in Institution.objects.values("pk", "name_th", "name_en", "mou_member")
    }
    figures = Figures(period)
    total = grouped[TOTAL][0] if grouped[TOTAL] else {"deposits": 0, "learners": 0, "credits": Decimal(0)}
    figures.totals = {
        "deposits": total["deposits"],
        "learners": total["learners"],
        "credits": total["credits"],
        "registered_learners": Learner.objects.filter(period.filter("created_at")).count(),
        "institutions": len(institutions),
        "mou_members": sum(1 for i in institutions.values() if i["mou_member"]),
    }

    def rows(key, label):
        return [{**row, "label": label(row)} for row in grouped[key]]

    types, levels = dict(LearningType.choices), dict(Level.choices)
    figures.by_institution = sorted(
        rows(BY_INSTITUTION, lambda r: institutions[r["institution_id"]]["name"]),
        key=lambda row: (-row["credits"], row["label"]),
    )
    # Kinds of learning and levels in their own order (formal, non-formal, informal; lower secondary up to a degree),
    # as every other page lists them: sorted by their codes, a degree came first and lower secondary third.
    figures.by_learning_type = sorted(
        rows(BY_TYPE, lambda r: types[r["learning_type"]]), key=lambda r: list(types).index(r["learning_type"])
    )
    figures.by_level = sorted(
        rows(BY_LEVEL, lambda r: levels[r["level"]]), key=lambda r: list(levels).index(r["level"])
    )
    figures.by_year = sorted(rows(BY_YEAR, lambda r: str(r["academic_year"])), key=lambda r: r["academic_year"])
    figures.pipeline = transfer_pipeline(period)
    deposits_by_institution = {row["institution_id"]: row["deposits"] for row in grouped[BY_INSTITUTION]}
    figures.mou_activity = mou_activity(period, institutions, deposits_by_institution)
    return figures


# The statuses the pipeline counts, in its order: every one a request reaches once it is submitted.
PIPELINE_STATUSES = [s for s in RequestStatus.values if s != RequestStatus.DRAFT]


def transfer_pipeline(period: Period) -> dict:
    decision_time = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    groups = list(
        TransferRequest.objects.filter(period.filter("submitted_at"))
        .values("status")
        .annotate(n=Count("id"), average=Avg(decision_time), longest=Max(decision_time))
        .order_by()
    )
    by_status = {g["status"]: g["n"] for g in groups}
    decided = sum(by_status.get(s, 0) for s in DECIDED)
    approved = by_status.get(RequestStatus.APPROVED, 0) + by_status.get(RequestStatus.PARTLY_APPROVED, 0)
    rejected = by_status.get(RequestStatus.REJECTED, 0)
    timed = [g for g in groups if g["status"] in DECIDED and g["average"] is not None]
    weight = sum(g["n"] for g in timed)
    timing = {
        "average": sum((g["average"] * g["n"] for g in timed), datetime.timedelta()) / weight if weight else None,
        "longest": max((g["longest"] for g in timed), default=None),
    }
    now = timezone.now()
    waiting = TransferRequest.objects.filter(status__in=WAITING_STATUSES, submitted_at__isnull=False).aggregate(
        count=Count("id"), oldest=Min("submitted_at")
    )
    oldest = waiting["oldest"]
    return {
        "submitted": sum(by_status.get(s, 0) for s in PIPELINE_STATUSES),  # as the rows by status add up
        "by_status": [(RequestStatus(s).label, by_status.get(s, 0)) for s in PIPELINE_STATUSES],
        "decided": decided,
        "approved": approved,
        "rejected": rejected,
        "approval_rate": round(100 * approved / decided, 1) if decided else None,
        "rejection_rate": round(100 * rejected / decided, 1) if decided else None,
        "average_days_to_decide": round(timing["average"].total_seconds() / 86400, 1) if timing["average"] else None,
        "longest_days_to_decide": round(timing["longest"].total_seconds() / 86400, 1) if timing["longest"] else None,
        "waiting_now": waiting["count"],
        "oldest_waiting_days": (now - oldest).days if oldest else None,
        "approved_rules": Equivalence.objects.filter(status=EquivalenceStatus.APPROVED).count(),
    }


def mou_activity(period: Period, institutions: dict, deposits: dict) -> list[dict]:
    """What each MOU member did in the period: deposits recorded, imports, the last day it recorded credits."""
    imports = dict(
        CreditImport.objects.filter(period.filter("uploaded_at"))
        .values_list("institution")
        .annotate(n=Count("id"))
        .order_by()
    )
    last = dict(CreditDeposit.objects.values_list("course__institution").annotate(last=Max("recorded_at")).order_by())
    members = sorted((i for i in institutions.values() if i["mou_member"]), key=lambda i: i["name"])
    return [
        {
            "institution_id": member["pk"],
            "institution": member["name"],
            "deposits": deposits.get(member["pk"], 0),
            "imports": imports.get(member["pk"], 0),
            "last_recorded": last.get(member["pk"]),
        }
        for member in members
    ]


def suppress(value):
    """Counts below five are not published: a small number could point at one learner."""
    if value is None:
        return None
    return value if value >= SUPPRESS_BELOW else f"< {SUPPRESS_BELOW}"


def public_figures(figures: Figures) -> dict:
    """The transparency page: province totals with every small count suppressed; no names, no identifiers."""

    def rows(items):
        return [
            {"label": r["label"], "learners": suppress(r["learners"]), "deposits": suppress(r["deposits"]),
             "credits": (r["credits"] or 0) if r["learners"] >= SUPPRESS_BELOW else None}
            for r in items
        ]  # fmt: skip

    pipeline = figures.pipeline
    return {
        "learners": suppress(figures.totals["learners"]),
        "deposits": suppress(figures.totals["deposits"]),
        "credits": figures.totals["credits"] if figures.totals["learners"] >= SUPPRESS_BELOW else None,
        "institutions": suppress(figures.totals["institutions"]),
        "mou_members": suppress(figures.totals["mou_members"]),
        "by_learning_type": rows(figures.by_learning_type),
        "by_level": rows(figures.by_level),
        "by_year": rows(figures.by_year),
        "requests_decided": suppress(pipeline["decided"]),
        "requests_approved": suppress(pipeline["approved"]),
        "approved_rules": suppress(pipeline["approved_rules"]),
    }
