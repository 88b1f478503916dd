"""make bench: measures what the issues promise and prints the figures; writes bench/results.json.

Runs against its own database (creditbank_bench) so the demo data is never touched. Tests never assert timings;
this is where they are read.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditbank.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from registry import demo  # noqa: E402
from registry.importing import COLUMNS, credit_import_analyse, credit_import_commit  # noqa: E402
from registry.models import Course, CreditImport, Institution, Role, User  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"


def import_rate(rows: int = 10_000) -> dict:
    """Validation and commit of a CSV of `rows` new deposits for new learners, as a registrar would upload it."""
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
    rng = random.Random(time.time_ns())  # new learners every run, so every row is new
    lines = [",".join(COLUMNS)]
    per_learner = 10
    for _ in range(rows // per_learner):
        nid = demo.national_id(rng)
        for code in rng.sample(codes, per_learner):
            lines.append(f"{nid},นาย,สมชาย,ใจดี,2008-05-14,{code},,,3,15/03/2568,2567,2,")
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    imp = credit_import_analyse(
        actor=registrar, institution=institution, data=data, filename="bench.csv", create_courses=False
    )
    analysed = time.perf_counter()
    imp = credit_import_commit(actor=registrar, import_id=imp.pk)
    done = time.perf_counter()
    assert imp.status == CreditImport.Status.COMMITTED, imp.report[:3]
    return {
        "rows": rows,
        "analyse_seconds": round(analysed - started, 2),
        "total_seconds": round(done - started, 2),
        "rows_per_second": round(rows / (done - started)),
        "target": "10,000 rows in under 15 s (at least 1,000 rows/s)",
    }


def main():
    call_command("migrate", verbosity=0)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["import"] = import_rate()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"{'figure':<40}{'value':>14}")
    for key, value in results["import"].items():
        print(f"import.{key:<33}{value!s:>14}")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
