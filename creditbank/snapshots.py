"""The dashboard's all-time figures, kept as a snapshot: one scan of millions of deposits is too slow to repeat for
every page view, so the background worker computes it and pages serve the latest (a stale one while a fresh one is
made). Reports for a chosen period are computed live (creditbank.reports)."""

import datetime
import json
import time
from dataclasses import asdict
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from registry.models import Institution, LearningType, Level, local_name
from transfers.models import RequestStatus

from .models import FigureSnapshot
from .reports import PIPELINE_STATUSES, Figures, Period, province_figures

SNAPSHOT_MAX_AGE = datetime.timedelta(minutes=10)


def _to_json(figures: Figures) -> dict:
    data = asdict(figures)
    data.pop("period")
    # Statuses kept as codes, named when read: the worker's language is not the reader's.
    data["pipeline"]["by_status"] = [
        [code, n] for code, (_label, n) in zip(PIPELINE_STATUSES, figures.pipeline["by_status"], strict=True)
    ]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _named(code: str, choices) -> str:
    """A code's label in the reader's language (a snapshot made before codes were kept holds the words)."""
    return choices(code).label if code in choices.values else code


def _from_json(data: dict) -> Figures:
    """The figures as the reader reads them: codes and institutions named in the reader's language (the worker wrote
    them in its own), institutions sorted by those names."""
    names = {pk: local_name(th, en) for pk, th, en in Institution.objects.values_list("pk", "name_th", "name_en")}

    def named(row, key):  # an institution's row; a snapshot made before ids were kept holds the name only
        return {**row, key: names.get(row.get("institution_id"), row[key])}

    def rows(items, key=None, choices=None):
        return [
            {
                **r,
                "credits": Decimal(r["credits"]) if r.get("credits") is not None else None,
                **({"label": _named(r[key], choices)} if key else {}),
            }
            for r in items
        ]

    totals = {**data["totals"], "credits": Decimal(data["totals"]["credits"])}
    mou = sorted(
        (
            named(
                {**r, "last_recorded": parse_datetime(r["last_recorded"]) if r["last_recorded"] else None},
                "institution",
            )
            for r in data["mou_activity"]
        ),
        key=lambda r: r["institution"],
    )
    by_institution = sorted(
        (named(r, "label") for r in rows(data["by_institution"])), key=lambda r: (-(r["credits"] or 0), r["label"])
    )
    by_status = [(_named(code, RequestStatus), n) for code, n in data["pipeline"]["by_status"]]
    pipeline = {**data["pipeline"], "by_status": by_status}
    return Figures(
        Period(), totals, by_institution,
        rows(data["by_learning_type"], "learning_type", LearningType), rows(data["by_level"], "level", Level),
        rows(data["by_year"]), pipeline, mou,
    )  # fmt: skip


def refresh_snapshot() -> FigureSnapshot:
    started = time.perf_counter()
    figures = province_figures()
    snapshot = FigureSnapshot.objects.create(seconds=time.perf_counter() - started, data=_to_json(figures))
    FigureSnapshot.objects.filter(computed_at__lt=snapshot.computed_at - datetime.timedelta(days=1)).delete()
    return snapshot


def dashboard_figures() -> tuple[Figures, datetime.datetime]:
    """The latest snapshot; a stale one is served while a fresh one is made in the background."""
    snapshot = FigureSnapshot.objects.order_by("-computed_at").first()
    if snapshot is None:
        snapshot = refresh_snapshot()
    elif timezone.now() - snapshot.computed_at > SNAPSHOT_MAX_AGE:
        transaction.on_commit(refresh_figures.enqueue)
    return _from_json(snapshot.data), snapshot.computed_at


@task()
def refresh_figures() -> str:
    """Recompute the dashboard's snapshot (also: `python manage.py refresh_figures`, e.g. from cron)."""
    return str(refresh_snapshot().computed_at)
