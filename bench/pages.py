"""Server time and query counts of the main pages, measured in-process with Django's test client."""

import gc
import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry.models import Institution, User


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(clients, request, runs):
    """`runs` timed requests after one untimed request per client (templates compiled, connections open)."""
    for i, client in enumerate(clients):
        method, url, data = request(i)
        getattr(client, method)(url, data or {})
    # As a server worker does once started (gunicorn.conf.py): what is loaded by now (each client's handler and
    # middleware, the seed's leftovers) is frozen, so a full garbage collection during the timed requests does not
    # walk it again. Without this, collections of 60-100 ms land on a few requests and become the p95.
    gc.collect()
    gc.freeze()
    times, queries = [], []
    for i in range(runs):
        client = clients[i % len(clients)]
        method, url, data = request(i)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        times.append(elapsed * 1000)
        queries.append(len(ctx))
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "queries": max(queries),
    }


def logged_in(users):
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def busiest_institutions(n):
    from django.db.models import Count

    # The synthetic province's (seed_scale's "SC" codes), not the benchmark's own school.
    synthetic = Institution.objects.filter(code__startswith="SC")
    return list(synthetic.annotate(n=Count("courses__deposits")).order_by("-n").values_list("pk", flat=True)[:n])


def page_figures(runs: int = 40) -> dict:
    from creditbank.snapshots import refresh_snapshot

    # The dashboard serves the figures the background worker computed; computing them is timed on its own.
    started = time.perf_counter()
    refresh_snapshot()
    snapshot_seconds = round(time.perf_counter() - started, 2)
    learners = logged_in(User.objects.filter(username__startswith="scale-learner-").order_by("pk")[:20])
    registrars = logged_in(User.objects.filter(role="registrar", institution_id__in=busiest_institutions(5)))
    staff = logged_in(User.objects.filter(username="scale-staff"))
    names = ["สม", "ธนา", "ศรี", "ใจ", "พร"]
    return {
        # Every visit renders the page afresh: nothing is cached between requests.
        "learner_balance": measure(learners, lambda i: ("get", "/", None), runs),
        "registrar_deposit_list": measure(registrars, lambda i: ("get", "/registry/deposits/", None), runs),
        "registrar_learner_search": measure(
            registrars, lambda i: ("post", "/registry/learners/", {"q": names[i % len(names)]}), runs
        ),
        "staff_queue": measure(staff, lambda i: ("get", "/transfers/queue/", None), runs),
        "dashboard": measure(staff, lambda i: ("get", "/office/dashboard/", None), max(5, runs // 4)),
        "dashboard_snapshot_seconds": snapshot_seconds,
    }
