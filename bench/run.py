"""make bench: measures what the issues promise and prints the figures; writes bench/results.json.

Runs against its own database (creditbank_scale, or creditbank_bench_quick for --quick) so the demo data is never
touched. Tests never assert timings; this is where they are read.
"""

import contextlib
import datetime
import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditbank.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from registry import demo  # noqa: E402
from registry.importing.columns import COLUMNS  # noqa: E402
from registry.importing.writing import credit_import_analyse, credit_import_commit  # noqa: E402
from registry.models import Course, CreditImport, Institution, Role, User  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"


def bench_school():
    """The benchmark's own school, its registrar and 40 courses (made once; later runs reuse them)."""
    institution, _ = Institution.objects.get_or_create(
        code="BENCH-IMPORT", defaults={"name_th": "โรงเรียนทดสอบความเร็ว", "kind": "school", "district": "sam_ngam"}
    )
    registrar, _ = User.objects.get_or_create(
        username="bench-registrar", defaults={"role": Role.REGISTRAR, "institution": institution}
    )
    codes = [f"ท2{n:04d}" for n in range(40)]
    for code in codes:
        Course.objects.get_or_create(
            institution=institution,
            code=code,
            defaults={
                "title_th": f"วิชา {code}",
                "credits": "1.5",
                "level": "lower_secondary",
                "learning_type": "formal",
            },
        )
    return institution, registrar, codes


def import_rate(rows: int = 10_000) -> dict:
    """Validation and commit of a CSV of `rows` new deposits for new learners, as a registrar would upload it.

    Timed inside a transaction that is then rolled back: the figure is the import's own work, and the province's
    data stay as seeded, so the next run's page figures do not meet a school that grows by 10,000 deposits a run.
    """
    institution, registrar, codes = bench_school()
    rng = random.Random(time.time_ns())  # new learners every run, so every row is new
    lines = [",".join(COLUMNS)]
    per_learner = 10
    for _ in range(rows // per_learner):
        nid = demo.national_id(rng)
        for code in rng.sample(codes, per_learner):
            lines.append(f"{nid},นาย,สมชาย,ใจดี,2008-05-14,{code},,,3,15/03/2568,2567,2,")
    data = ("\n".join(lines) + "\n").encode()
    with transaction.atomic():
        started = time.perf_counter()
        imp = credit_import_analyse(
            actor=registrar, institution=institution, data=data, filename="bench.csv", create_courses=False
        )
        analysed = time.perf_counter()
        imp = credit_import_commit(actor=registrar, import_id=imp.pk)
        done = time.perf_counter()
        assert imp.status == CreditImport.Status.COMMITTED, imp.report[:3]
        transaction.set_rollback(True)
    return {
        "rows": rows,
        "analyse_seconds": round(analysed - started, 2),
        "total_seconds": round(done - started, 2),
        "rows_per_second": round(rows / (done - started)),
        "target": "10,000 rows in under 15 s (at least 1,000 rows/s)",
    }


@contextlib.contextmanager
def throwaway_issuer_keys():
    """Signing material for this run only, in a temporary directory, as the tests make theirs: the bench never reads
    or writes the machine's keys, and calls no timestamp authority over the network."""
    from django.test import override_settings

    from transcripts.keys import create_keys

    with tempfile.TemporaryDirectory(prefix="bench-issuer-keys-") as directory:
        named = dict.fromkeys(
            ["ISSUER_ROOT_CERT", "ISSUER_SIGNING_CERT", "ISSUER_SIGNING_KEY", "ISSUER_CREDENTIAL_KEY"], ""
        )
        with override_settings(ISSUER_KEYS_DIR=Path(directory), ISSUER_TSA_URL="", **named):
            create_keys(Path(directory))
            yield


def transcript_render(courses: int = 40, runs: int = 5) -> dict:
    """Seconds to lay out and write a 40-course Thai transcript PDF (the record is made once per run)."""
    from registry.models import CreditDeposit, Learner
    from transcripts.services import transcript_issue

    institution, registrar, _codes = bench_school()
    learner, created = Learner.objects.get_or_create(
        national_id="1101700207030",
        defaults={"id_type": "citizen", "prefix": "mr", "first_name": "สมชาย", "last_name": "ทดสอบความเร็ว"},
    )
    if created:
        for n in range(courses):
            course, _ = Course.objects.get_or_create(
                institution=institution, code=f"ท3{n:04d}",
                defaults={"title_th": f"รายวิชาเพื่อการทดสอบความเร็วของใบแสดงผลการเรียนลำดับที่ {n}", "credits": "1.0",
                          "level": "upper_secondary", "learning_type": "formal"},
            )  # fmt: skip
            CreditDeposit.objects.create(
                learner=learner, course=course, credits=course.credits, grade="3", completed_on="2025-03-15",
                academic_year=2567, term=2, learning_type="formal", recorded_by=registrar,
            )  # fmt: skip
    transcript_issue(actor=registrar, learner=learner)  # warm-up: fonts loaded once per process
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = transcript_issue(actor=registrar, learner=learner)[-1]  # the PDF is last in what it returns
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    timings.sort()
    cpu.sort()
    return {
        "courses": courses,
        "median_seconds": round(timings[len(timings) // 2], 3),
        "max_seconds": round(timings[-1], 3),
        "cpu_median_seconds": round(cpu[len(cpu) // 2], 3),
        "pdf_bytes": len(pdf),
        "target": "under 1 s",
    }


def ensure_scale(learners: int):
    """Seed the province-scale data once; a later run on the same database reuses it."""
    from registry.models import Learner

    have = Learner.objects.filter(national_id__startswith="8").count()
    if have < learners:
        started = time.perf_counter()
        call_command("seed_scale", learners=learners - have, verbosity=1)
        return round(time.perf_counter() - started, 1)
    return None


def ensure_rules(count: int = 600):
    """Approved equivalence rules between the synthetic institutions' courses, for the public transfer guide: one,
    two or three source courses to one target course at another institution. Made once; later runs reuse them."""
    from django.utils import timezone

    from transfers.models import Equivalence, EquivalenceSource, EquivalenceStatus, EquivalenceTarget

    if Equivalence.objects.filter(status=EquivalenceStatus.APPROVED).exists():
        return
    rng = random.Random(17)
    staff = User.objects.get(username="scale-staff")
    courses = list(Course.objects.filter(institution__code__startswith="SC").values_list("pk", "institution_id"))
    now = timezone.now()
    rules = Equivalence.objects.bulk_create(
        Equivalence(status=EquivalenceStatus.APPROVED, basis="bench", effective_from=datetime.date(2024, 1, 1),
                    proposed_by=staff, decided_by=staff, decided_at=now)
        for _ in range(count)
    )  # fmt: skip
    sources, targets = [], []
    for rule in rules:
        target = rng.choice(courses)
        picked = rng.sample([c for c in rng.sample(courses, 20) if c[1] != target[1]], rng.choice([1, 1, 2, 3]))
        sources += [EquivalenceSource(equivalence=rule, course_id=pk) for pk, _inst in picked]
        targets.append(EquivalenceTarget(equivalence=rule, course_id=target[0]))
    EquivalenceSource.objects.bulk_create(sources)
    EquivalenceTarget.objects.bulk_create(targets)


def targets(quick: bool) -> dict:
    """Figure (a `*` matches any middle) -> (target as printed, test). The search must be quicker at full size."""
    search_ms = 100 if quick else 50
    return {
        "pages.learner_balance.p95_ms": ("< 100 ms", lambda v: v < 100),
        "pages.registrar_learner_search.p95_ms": (f"< {search_ms} ms", lambda v: v < search_ms),
        "pages.*.queries": ("<= 10", lambda v: v <= 10),
        "pages.dashboard.p50_ms": ("< 1000 ms", lambda v: v < 1000),
        "import.rows_per_second": (">= 1000", lambda v: v >= 1000),
        "transcript.median_seconds": ("< 1 s", lambda v: v < 1),
        "transcript.cpu_median_seconds": ("< 0.5 s", lambda v: v < 0.5),
        "load.fresh_balance_to_minimal_ratio": (">= 0.15", lambda v: v >= 0.15),
        "load.throughput_errors": ("0", lambda v: v == 0),
        "load.mixed_load.servers": ("2", lambda v: v == 2),
        "load.mixed_load.errors": ("0", lambda v: v == 0),
        "throughput.pages.learner_balance.ratio": (">= 0.15", lambda v: v >= 0.15),
        "throughput.pages.guide.ratio": (">= 0.10", lambda v: v >= 0.10),
        "throughput.pages.registrar_deposit_list.p99_ms": ("< 300 ms", lambda v: v < 300),
        "throughput.pages.staff_queue.p99_ms": ("< 300 ms", lambda v: v < 300),
        "throughput.failures": ("0", lambda v: v == 0),
    }


def flatten(prefix, value, out):
    if isinstance(value, dict):
        for key, inner in value.items():
            flatten(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value
    return out


def verdict(key, value, wanted):
    for pattern, (target, ok) in wanted.items():
        head, _, tail = pattern.partition("*")
        if key == pattern or (tail and key.startswith(head) and key.endswith(tail)):
            return target, "ok" if ok(value) else "MISSED"
    return "", ""


def read_results() -> dict:
    """bench/results.json: the latest figures of each size, {"full": {...}, "quick": {...}}."""
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    return saved if "mode" not in saved else {saved["mode"]: saved}  # a file from before it kept both sizes


def write_results(mode: str, results: dict):
    """This size's figures into bench/results.json, the other size's kept."""
    saved = read_results()
    saved[mode] = results
    RESULTS.write_text(json.dumps(saved, indent=2, ensure_ascii=False, default=str) + "\n")


def main():
    import argparse

    from bench.load import load_figures
    from bench.pages import page_figures
    from bench.throughput import table, throughput_figures

    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="small data and short loads: under 3 minutes")
    parser.add_argument("--throughput-only", action="store_true", help="only the wrk figures, into results.json")
    args = parser.parse_args()
    # A TERM (make interrupted, a CI time limit) unwinds like Ctrl-C, so the gunicorn servers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    learners = 5_000 if args.quick else args.learners
    call_command("migrate", verbosity=0)
    mode = "quick" if args.quick else "full"
    results = {"mode": mode, "learners": learners}
    if args.throughput_only:
        ensure_rules()
        results = read_results().get(mode, results)
        results["throughput"] = throughput_figures(seconds=5 if args.quick else 15)
        write_results(mode, results)
        print(table(results["throughput"]))
        return
    results["seed_seconds"] = ensure_scale(learners)
    ensure_rules()
    from registry.models import CreditDeposit

    results["deposits"] = CreditDeposit.objects.count()
    results["pages"] = page_figures(runs=20 if args.quick else 60)
    results["import"] = import_rate()
    with throwaway_issuer_keys():
        results["transcript"] = transcript_render()
    results["load"] = load_figures(
        throughput_seconds=5 if args.quick else 15, mixed_seconds=20 if args.quick else 60, mixed_user_count=50
    )
    # Each page under wrk beside the bare Django floor, last: the transcripts above give /verify/ a code to check.
    results["throughput"] = throughput_figures(seconds=5 if args.quick else 15)
    write_results(mode, results)
    print(table(results["throughput"]))
    print(f"{'figure':<48}{'value':>12}  {'target':<10}")
    wanted = targets(args.quick)
    for key, value in flatten("", results, {}).items():
        target, mark = verdict(key, value, wanted)
        print(f"{key:<48}{value!s:>12}  {target:<10} {mark}")
    print(f"written to {RESULTS.relative_to(ROOT)} (as {mode!r}, beside the other size's latest)")


if __name__ == "__main__":
    main()
