"""Throughput and a mixed load against gunicorn on this machine (loopback only), each run bounded in time.

The mixed load runs across two gunicorn servers on one database, as production runs behind nginx: anything a server
kept for itself (a session, a cached page) would show here as an error or a signed-out page.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.urls import reverse
from django.utils.crypto import get_random_string

from registry.models import User

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4  # per server, the same for every figure
REQUEST_TIMEOUT = 10  # seconds; a request slower than this counts as an error
SIGNED_IN = f'action="{reverse("logout")}"'.encode()  # only a signed-in user's page carries the sign-out form
CSRF_SECRET = get_random_string(32)  # the CSRF cookie a browser got from the login page, echoed in POSTed forms
NAMES = ["สม", "ธนา", "ศรี", "ใจ", "พร"]


class Visit(NamedTuple):
    method: str
    path: str
    cookie: str = ""
    body: str = ""


def signed_in_backend() -> str:
    """The backend a login records, chosen as Django's test client does: the first that can load a user."""
    return next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))


def session_cookie(user) -> str:
    """A signed-in browser's cookies: a session made by whatever engine SESSION_ENGINE names, and a CSRF cookie."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = signed_in_backend()
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"


def free_ports(n: int) -> list[int]:
    """`n` different free loopback ports (held open together while chosen, so no two are the same)."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(n)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


class Gunicorn:
    """gunicorn on 127.0.0.1:`port` in its own process group, stopped on leaving the block, failure or not."""

    def __init__(self, port: int, workers: int = WORKERS, app: str = "creditbank.wsgi"):
        self.port = port
        self.workers = workers
        self.app = app

    def __enter__(self):
        cmd = [sys.executable, "-m", "gunicorn", self.app, "-b", f"127.0.0.1:{self.port}",
               "-w", str(self.workers), "--graceful-timeout", "5",
               "--access-logfile", "/dev/null", "--log-level", "warning"]  # fmt: skip
        self.process = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True)  # noqa: S603
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_ready(self, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {self.port} exited with status {self.process.returncode}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                if request(conn, Visit("GET", "/healthz")) is None:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                conn.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on port {self.port} did not answer /healthz within {seconds:.0f} s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(conn, visit: Visit) -> str | None:
    """One request; None when it succeeded, else what went wrong (a redirect, even to the sign-in page, is wrong)."""
    headers = {"Host": "127.0.0.1"}
    if visit.cookie:
        headers["Cookie"] = visit.cookie
    if visit.body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(visit.method, visit.path, body=visit.body.encode() or None, headers=headers)
    response = conn.getresponse()
    content = response.read()
    if not 200 <= response.status < 300:
        return f"HTTP {response.status}"
    if visit.cookie and SIGNED_IN not in content:
        return "signed out"
    return None


def run_load(ports: list[int], users: list[list[Visit]], seconds: float) -> dict:
    """One thread per user, user k on server k mod len(ports), each repeating its own visits until time is up."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, errors = [], {}
    per_server = [0] * len(ports)

    def user(k: int, visits: list[Visit]):
        port = ports[k % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        i = 0
        while time.monotonic() < stop:
            visit = visits[i % len(visits)]
            i += 1
            started = time.perf_counter()
            try:
                error = request(conn, visit)
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
                conn.close()
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed_ms)
                per_server[k % len(ports)] += 1
                if error:
                    errors[error] = errors.get(error, 0) + 1
        conn.close()

    threads = [threading.Thread(target=user, args=(k, visits), daemon=True) for k, visits in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0, stop - time.monotonic()) + REQUEST_TIMEOUT + 5)
    with lock:
        latencies.sort()
        result = {
            "servers": len(ports),
            "users": len(users),
            "seconds": seconds,
            "requests": len(latencies),
            "errors": sum(errors.values()),
            "requests_per_second": round(len(latencies) / seconds, 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
        }
        if len(ports) > 1:
            result["requests_by_server"] = {str(n + 1): count for n, count in enumerate(per_server)}
        if errors:
            result["error_kinds"] = ", ".join(f"{kind} ×{count}" for kind, count in sorted(errors.items()))
    return result


def mixed_users(n: int) -> list[list[Visit]]:
    """`n` users, in turn two learners (each their own account), a registrar and a provincial officer."""
    from bench.pages import busiest_institutions

    learners = User.objects.filter(username__startswith="scale-learner-").order_by("pk")[: n // 2 + 1]
    learners = [session_cookie(u) for u in learners]
    registrars = User.objects.filter(role="registrar", institution_id__in=busiest_institutions(5)).order_by("pk")
    registrars = [session_cookie(u) for u in registrars]
    staff = session_cookie(User.objects.get(username="scale-staff"))

    def registrar(cookie, names):
        searches = [urlencode({"q": q, "csrfmiddlewaretoken": CSRF_SECRET}) for q in names]
        return [Visit("GET", "/registry/deposits/", cookie), Visit("GET", "/", cookie)] + [
            Visit("POST", "/registry/learners/", cookie, body) for body in searches
        ]

    users = []
    for k in range(n):
        turn, role = divmod(k, 4)
        if role < 2:
            users.append([Visit("GET", "/", learners[(2 * turn + role) % len(learners)])])
        elif role == 2:
            users.append(registrar(registrars[turn % len(registrars)], NAMES[turn % 2 :: 2]))
        else:
            users.append([Visit("GET", "/transfers/queue/", staff), Visit("GET", "/", staff)])
    return users


def load_figures(throughput_seconds: float, mixed_seconds: float, mixed_user_count: int) -> dict:
    """The balance page's throughput on one server as a share of /healthz's, then the mixed load on two servers."""
    learners = User.objects.filter(username__startswith="scale-learner-").order_by("pk")[:20]
    learner_cookies = [session_cookie(u) for u in learners]
    users = mixed_users(mixed_user_count)
    throughput_users = 8
    with contextlib.ExitStack() as servers:
        ports = [servers.enter_context(Gunicorn(port)).port for port in free_ports(2)]
        one = ports[:1]
        # Every balance page is rendered afresh: nothing is cached between requests.
        rotations = [learner_cookies[k:] + learner_cookies[:k] for k in range(throughput_users)]
        balance_users = [[Visit("GET", "/", c) for c in cookies] for cookies in rotations]
        run_load(ports, users, seconds=2)  # warm-up: every worker's templates compiled, connections open
        minimal = run_load(one, [[Visit("GET", "/healthz")]] * throughput_users, seconds=throughput_seconds)
        balance = run_load(one, balance_users, seconds=throughput_seconds)
        # The cheapest signed-in page (base template, one sentence), the same way: the most a page can reach.
        blank_users = [[Visit("GET", "/accounts/password/done/", c) for c in cookies] for cookies in rotations]
        blank = run_load(one, blank_users, seconds=throughput_seconds)
        mixed = run_load(ports, users, seconds=mixed_seconds)
    return {
        "workers_per_server": WORKERS,
        "minimal_view_rps": minimal["requests_per_second"],
        "fresh_balance_rps": balance["requests_per_second"],
        "fresh_balance_to_minimal_ratio": round(balance["requests_per_second"] / minimal["requests_per_second"], 3),
        "signed_in_blank_rps": blank["requests_per_second"],
        "signed_in_blank_to_minimal_ratio": round(blank["requests_per_second"] / minimal["requests_per_second"], 3),
        "throughput_errors": minimal["errors"] + balance["errors"] + blank["errors"],
        "mixed_load": mixed,
    }
