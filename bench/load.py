"""Throughput and a mixed load against gunicorn on this machine (loopback only), with a bounded run time."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import get_random_string

from creditbank.accounts import SessionStore
from registry.models import User

ROOT = Path(__file__).resolve().parent.parent


def session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    # As a browser holds them after logging in: the session and the CSRF cookie the login page set.
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={get_random_string(32)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, workers: int = 4, **env):
        self.port = free_port()
        self.workers = workers
        self.env = env

    def __enter__(self):
        cmd = [sys.executable, "-m", "gunicorn", "creditbank.wsgi", "-b", f"127.0.0.1:{self.port}",
               "-w", str(self.workers), "--access-logfile", "/dev/null", "--log-level", "warning"]  # fmt: skip
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=os.environ | self.env, start_new_session=True)  # noqa: S603
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                status = get(self.port, "/healthz", "")[0]
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port, path, cookie, conn=None):
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    return response.status, conn


def run_load(port, plans, users: int, seconds: float) -> dict:
    """`users` threads, each on its own keep-alive connection, cycling through (path, cookie) plans until time is up."""
    stop = time.time() + seconds
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "latencies": []}

    def worker(offset):
        conn = None
        i = offset
        while time.time() < stop:
            path, cookie = plans[i % len(plans)]
            i += 1
            started = time.perf_counter()
            try:
                status, conn = get(port, path, cookie, conn)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok, conn = False, None
            elapsed = time.perf_counter() - started
            with lock:
                stats["requests"] += 1
                stats["errors"] += 0 if ok else 1
                stats["latencies"].append(elapsed * 1000)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies = sorted(stats["latencies"]) or [0]
    return {
        "users": users,
        "seconds": seconds,
        "requests": stats["requests"],
        "errors": stats["errors"],
        "requests_per_second": round(stats["requests"] / seconds, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def load_figures(throughput_seconds: float, mixed_seconds: float, mixed_users: int) -> dict:
    learners = list(User.objects.filter(username__startswith="scale-learner-").order_by("pk")[:20])
    registrar = User.objects.filter(role="registrar", username__startswith="scale-reg-").order_by("pk").first()
    staff = User.objects.get(username="scale-staff")
    learner_cookies = [session_cookie(u) for u in learners]
    with Gunicorn(PAGE_CACHE_SECONDS="0") as server:
        # Every balance page rendered afresh: what a first visit, or one after the credits changed, costs.
        uncached = run_load(server.port, [("/", c) for c in learner_cookies], users=8, seconds=throughput_seconds)
    with Gunicorn() as server:
        minimal = run_load(server.port, [("/healthz", "")], users=8, seconds=throughput_seconds)
        balance = run_load(server.port, [("/", c) for c in learner_cookies], users=8, seconds=throughput_seconds)
        plans = [("/", c) for c in learner_cookies[:10]]
        plans += [("/registry/deposits/", session_cookie(registrar))] * 5
        plans += [("/transfers/queue/", session_cookie(staff))] * 5
        mixed = run_load(server.port, plans, users=mixed_users, seconds=mixed_seconds)
    return {
        "minimal_view_rps": minimal["requests_per_second"],
        "balance_page_rps": balance["requests_per_second"],
        "balance_to_minimal_ratio": round(balance["requests_per_second"] / minimal["requests_per_second"], 2),
        "balance_page_uncached_rps": uncached["requests_per_second"],
        "balance_uncached_to_minimal_ratio": round(uncached["requests_per_second"] / minimal["requests_per_second"], 2),
        "balance_errors": balance["errors"] + minimal["errors"] + uncached["errors"],
        "mixed_load": mixed,
    }
