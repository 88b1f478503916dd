"""Each page under wrk with 16 connections, beside the framework floor (bench/floor.py) served in the same run.

Every page gets its own gunicorn run of the same settings (2 × CPUs + 1 sync workers, as the README deploys it).
wrk counts every answer by status; a 2xx HTML page for a signed-in user that lacks the sign-out form (the sign-in
page, or a page for someone signed out) counts as "signed out", and any answer but a 2xx is a failure.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Count

from bench.load import CSRF_SECRET, SIGNED_IN, Gunicorn, free_ports, session_cookie
from registry.models import CreditDeposit, User

CONNECTIONS = 16
WORKERS = 2 * (os.cpu_count() or 1) + 1
PDF_CONNECTIONS = 4  # transcripts are asked for a few at a time; batches go to the background worker

LUA = r"""
local requests = %(requests)s
local marker = %(marker)s
local prepared, threads, n = {}, {}, 0
statuses = {}  -- a global, so done() can read each thread's counts with thread:get()

function setup(thread) table.insert(threads, thread) end

function init(args)
  for i, r in ipairs(requests) do prepared[i] = wrk.format(r[1], r[2], r[3], r[4]) end
  n = math.random(#prepared) - 1  -- each thread starts at its own place in the list
end

function request()
  n = n %% #prepared + 1
  return prepared[n]
end

function response(status, headers, body)
  local key = tostring(status)
  if status >= 200 and status < 300 and marker ~= "" and not string.find(body, marker, 1, true) then
    key = "signed out"
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local parts = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do parts[k] = (parts[k] or 0) + v end
  end
  local out = {}
  for k, v in pairs(parts) do table.insert(out, string.format("%%q:%%d", k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests":%%d,"micros":%%d,"p50_us":%%d,"p99_us":%%d,"socket_errors":%%d,"statuses":{%%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(out, ",")))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


def lua_script(visits, marker: str) -> str:
    rows = []
    for method, path, headers, body in visits:
        header_table = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        lua_body = lua_string(body) if body else "nil"
        rows.append(f"{{{lua_string(method)}, {lua_string(path)}, {{{header_table}}}, {lua_body}}}")
    return LUA % {"requests": "{" + ",\n".join(rows) + "}", "marker": lua_string(marker)}


def wrk(port: int, visits, *, seconds: float, connections: int = CONNECTIONS, marker: str = "") -> dict:
    """One wrk run of `visits` ((method, path, headers, body), taken in turn) against 127.0.0.1:`port`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-wrk-") as script:
        script.write(lua_script(visits, marker))
        script.flush()
        cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", script.name, f"http://127.0.0.1:{port}"]  # fmt: skip
        output = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("WRK-RESULT "))
    raw = json.loads(line.removeprefix("WRK-RESULT "))
    statuses = dict(sorted(raw["statuses"].items()))
    ok = sum(v for k, v in statuses.items() if k.isdigit() and 200 <= int(k) < 300)
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["micros"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "statuses": statuses,
        "failures": raw["requests"] - ok + raw["socket_errors"],
    }


def get(path, cookie=""):
    return ("GET", path, {"Cookie": cookie} if cookie else {}, "")


def pages_to_visit() -> dict:
    """Page name -> (visits, marker, connections). Signed-in pages carry the sign-out form; public ones need not."""
    from transcripts.models import Transcript

    marker = SIGNED_IN.decode()
    learners = User.objects.filter(username__startswith="scale-learner-").order_by("pk")[:20]
    learners = [session_cookie(u) for u in learners]
    # The synthetic province's busiest institution (the import figure's own institution grows with every run).
    synthetic = CreditDeposit.objects.filter(course__institution__code__startswith="SC")
    busiest = synthetic.values("course__institution").annotate(n=Count("pk")).order_by("-n").first()
    registrar = User.objects.filter(role="registrar", institution_id=busiest["course__institution"]).order_by("pk")[0]
    staff = session_cookie(User.objects.get(username="scale-staff"))
    code = Transcript.objects.order_by("-pk").values_list("verification_code", flat=True).first()
    pdf_body = urlencode({"csrfmiddlewaretoken": CSRF_SECRET, "lang": "th"})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    pages = {
        "healthz": ([get("/healthz")], "", CONNECTIONS),
        # The cheapest page a signed-in user can get (the base template and one sentence): what Django's sessions,
        # middleware and base template cost before a page does any work of its own, read beside the balance page.
        "signed_in_blank": ([get("/accounts/password/done/", c) for c in learners], marker, CONNECTIONS),
        "learner_balance": ([get("/", c) for c in learners], marker, CONNECTIONS),
        "guide": ([get("/transfers/guide/")], "", CONNECTIONS),
        "verify": ([get(f"/verify/{code}/")], "", CONNECTIONS),
        "registrar_deposit_list": ([get("/registry/deposits/", session_cookie(registrar))], marker, CONNECTIONS),
        "staff_queue": ([get("/transfers/queue/", staff)], marker, CONNECTIONS),
        "transcript_pdf": (
            [("POST", "/me/transcript/", {"Cookie": c, **form}, pdf_body) for c in learners[:4]],
            "",
            PDF_CONNECTIONS,
        ),
    }
    pages["registrar_deposit_list"] += ({"institution_deposits": busiest["n"]},)
    return pages


def cpu_seconds(pids) -> dict[int, float]:
    """User and system CPU each running process has used so far."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def server_pids(server) -> list[int]:
    """A gunicorn master, its workers, and the PostgreSQL backends serving this database other than the bench's."""
    from django.db import connection

    pids = [server.process.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server.process.pid:
                pids.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids += [pid for (pid,) in cursor.fetchall()]
    return pids


def measured(server, visits, **options) -> dict:
    """wrk's figures and the CPU the server and its database spent per request (wrk's own CPU apart): on a machine
    shared with other work, req/s moves with the neighbours' load, CPU per request much less."""
    before = cpu_seconds(server_pids(server))
    figures = wrk(server.port, visits, **options)
    after = cpu_seconds(server_pids(server))
    # A backend that appeared during the run (a worker reconnecting) counts in full; one that left during it is
    # missed for that part of the run (connections live DB_CONN_MAX_AGE, 60 s, so rarely).
    used = sum(seconds - before.get(pid, 0) for pid, seconds in after.items() if seconds >= before.get(pid, 0))
    figures["cpu_ms"] = round(1000 * used / max(1, figures["requests"]), 2)
    return figures


def throughput_figures(seconds: float) -> dict:
    """Every page's req/s, p50, p99, and its share of the floor's req/s, the floor measured just before the page so
    both see the same neighbours; the CPU per request and its share of the floor's are given beside."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk` (make bench does it)")
    pages = pages_to_visit()
    floor_port, app_port = free_ports(2)
    floor_seconds = max(5, round(seconds / 3))
    results = {"connections": CONNECTIONS, "seconds": seconds, "floor_seconds": floor_seconds, "workers": WORKERS}
    figures, floors = {}, []
    with Gunicorn(floor_port, WORKERS, app="bench.floor:application") as floor, Gunicorn(app_port, WORKERS) as app:
        wrk(floor.port, [get("/")], seconds=2)  # warm-up
        for name, (visits, marker, connections, *extra) in pages.items():
            wrk(app.port, visits, seconds=2, connections=connections, marker=marker)  # warm-up: templates, fonts
            beside = measured(floor, [get("/")], seconds=floor_seconds)
            floors.append(beside)
            figure = measured(app, visits, seconds=seconds, connections=connections, marker=marker)
            for more in extra:
                figure.update(more)
            if connections == CONNECTIONS:
                figure["floor_rps"] = beside["rps"]
                figure["ratio"] = round(figure["rps"] / beside["rps"], 3)
                figure["cpu_ratio"] = round(beside["cpu_ms"] / figure["cpu_ms"], 3) if figure["cpu_ms"] else None
            else:
                figure["ratio"] = figure["cpu_ratio"] = None
            figures[name] = figure
    rps = sorted(f["rps"] for f in floors)
    results["floor"] = {
        "rps_median": rps[len(rps) // 2],
        "rps_range": [rps[0], rps[-1]],
        "p50_ms_median": sorted(f["p50_ms"] for f in floors)[len(floors) // 2],
        "p99_ms_max": max(f["p99_ms"] for f in floors),
        "cpu_ms_median": sorted(f["cpu_ms"] for f in floors)[len(floors) // 2],
        "failures": sum(f["failures"] for f in floors),
    }
    results["pages"] = figures
    results["failures"] = sum(f["failures"] for f in figures.values()) + results["floor"]["failures"]
    return results


def table(results: dict) -> str:
    """The figures as the issue's Markdown table."""
    floor = results["floor"]
    lines = [
        "| page | req/s | p50 | p99 | ÷ floor (floor req/s just before) | CPU ms/req | ÷ floor by CPU | non-2xx |",
        "|---|---|---|---|---|---|---|---|",
        f"| floor: bare Django view (median of {len(results['pages'])} runs) | {floor['rps_median']:,.0f} "
        f"({floor['rps_range'][0]:,.0f}–{floor['rps_range'][1]:,.0f}) | {floor['p50_ms_median']} ms "
        f"| ≤ {floor['p99_ms_max']} ms | 1 | {floor['cpu_ms_median']} | 1 | {floor['failures']} |",
    ]
    for name, f in results["pages"].items():
        if f["ratio"] is None:
            ratio = cpu_ratio = f"— ({f['connections']} connections)"
        else:
            ratio, cpu_ratio = f"{f['ratio']:.3f} ({f['floor_rps']:,.0f})", f"{f['cpu_ratio']:.3f}"
        lines.append(
            f"| {name} | {f['rps']:,.1f} | {f['p50_ms']} ms | {f['p99_ms']} ms | {ratio} | {f['cpu_ms']} "
            f"| {cpu_ratio} | {f['failures']} |"
        )
    return "\n".join(lines)
