"""python manage.py seed_scale --learners N: a province-sized synthetic dataset, written with COPY.

Per 100,000 learners: 300 institutions, 15,000 courses, about 2,000,000 deposits and 20,000 transfer requests.
Synthetic rows are not history: the audit and ledger triggers are switched off for the load (superuser:
session_replication_role; otherwise pgtrigger.ignore), the constraints and unique indexes still check every row.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from registry.models import Course, CreditDeposit, Institution, Learner, User
from transfers.models import TransferItem, TransferRequest

FIRST = ["สมชาย", "สมหญิง", "ธนากร", "สุภาพร", "กิตติพงษ์", "ศิริพร", "อนุชา", "ปวีณา", "ณัฐพล", "กนกวรรณ", "วีรยุทธ",
         "จิราพร", "สมศักดิ์", "มาลัย", "ประเสริฐ", "ทองใบ"]  # fmt: skip
LAST = ["ใจดี", "ศรีสุข", "ทองคำ", "บุญมา", "แก้วมณี", "พรหมวงศ์", "สุขเจริญ", "วงศ์ใหญ่", "จันทร์หอม", "อินทร์แก้ว",
        "มีสุข", "ทองดี", "ปัญญาดี", "ศรีพิจิตร"]  # fmt: skip
DISTRICTS = ["mueang_phichit", "wang_sai_phun", "pho_prathap_chang", "taphan_hin", "bang_mun_nak", "pho_thale",
             "sam_ngam", "tap_khlo", "sak_lek", "bueng_na_rang", "dong_charoen", "wachirabarami"]  # fmt: skip
GRADES = ["4", "4", "3.5", "3.5", "3", "3", "3", "2.5", "2", "2", "1.5", "1", "0", "ผ"]
PASSWORD = "scale-bench-pw"  # noqa: S105  (synthetic accounts for make bench)


def check_digit(first12: str) -> str:
    return str((11 - sum(int(d) * (13 - i) for i, d in enumerate(first12)) % 11) % 10)


class Command(BaseCommand):
    help = "Build a province-scale synthetic dataset fast (COPY), for make bench."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=100_000)
        parser.add_argument("--deposits-per-learner", type=int, default=20)
        parser.add_argument("--seed", type=int, default=2569)

    def handle(self, *args, learners, deposits_per_learner, seed, **options):
        started = time.perf_counter()
        rng = random.Random(seed)
        scale = learners / 100_000
        n_inst = max(12, round(300 * scale))
        n_requests = round(20_000 * scale)
        with transaction.atomic():
            self._triggers_off()
            base = {
                m: self._next_id(m)
                for m in (Institution, Course, Learner, CreditDeposit, User, TransferRequest, TransferItem)
            }
            inst_ids = list(range(base[Institution], base[Institution] + n_inst))
            self._copy(Institution, (
                {"id": iid, "code": f"SC{iid:06d}", "name_th": f"สถานศึกษาทดสอบ {n + 1}", "name_en": "",
                 "kind": "school", "district": DISTRICTS[n % 12], "mou_member": n % 3 != 0,
                 "mou_signed_on": datetime.date(2024, 1, 1) if n % 3 != 0 else None}
                for n, iid in enumerate(inst_ids)
            ))  # fmt: skip
            password = make_password(PASSWORD)
            now = timezone.now()
            registrar_ids = {iid: base[User] + n for n, iid in enumerate(inst_ids)}
            staff_id = base[User] + n_inst
            learner_user_count = min(learners, 500)
            self._copy(User, [
                *({"id": uid, "username": f"scale-reg-{iid}", "password": password, "role": "registrar",
                   "institution_id": iid, "is_active": True, "date_joined": now, "first_name": "นายทะเบียน",
                   "last_name": str(iid), "email": "", "is_staff": False, "is_superuser": False}
                  for iid, uid in registrar_ids.items()),
                {"id": staff_id, "username": "scale-staff", "password": password, "role": "provincial_staff",
                 "is_active": True, "date_joined": now, "first_name": "เจ้าหน้าที่", "last_name": "จังหวัด", "email": "",
                 "is_staff": False, "is_superuser": False},
                *({"id": staff_id + 1 + k, "username": f"scale-learner-{k}", "password": password, "role": "learner",
                   "is_active": True, "date_joined": now, "first_name": "", "last_name": "", "email": "",
                   "is_staff": False, "is_superuser": False}
                  for k in range(learner_user_count)),
            ])  # fmt: skip
            per_inst = 50
            course_rows, courses_of = [], {}
            cid = base[Course]
            for iid in inst_ids:
                courses_of[iid] = []
                for j in range(per_inst):
                    credits = Decimal("1.5") if j % 3 else Decimal("1.0")
                    course_rows.append({"id": cid, "institution_id": iid, "code": f"ท2{j:04d}", "title_th": f"รายวิชาทดสอบ {j + 1}",
                                        "title_en": "", "credits": credits, "hours": 60, "level": "lower_secondary",
                                        "subject_group": "", "learning_type": "formal"})  # fmt: skip
                    courses_of[iid].append((cid, credits))
                    cid += 1
            self._copy(Course, course_rows)
            learner_ids = list(range(base[Learner], base[Learner] + learners))
            self._copy(Learner, (
                {"id": lid, "national_id": (p := f"8{lid:011d}") + check_digit(p), "id_type": "citizen",
                 "prefix": "mr" if n % 2 else "miss", "first_name": FIRST[n % len(FIRST)], "last_name": LAST[(n // 3) % len(LAST)],
                 "first_name_en": "", "last_name_en": "", "birth_date": datetime.date(1990 + n % 20, 1 + n % 12, 1 + n % 28),
                 "user_id": staff_id + 1 + n if n < learner_user_count else None, "created_at": now,
                 "registered_by_institution_id": inst_ids[n % n_inst]}
                for n, lid in enumerate(learner_ids)
            ))  # fmt: skip
            self.stdout.write(f"learners and courses: {time.perf_counter() - started:.0f} s")
            home_of = {}

            def deposits():
                did = base[CreditDeposit]
                for n, lid in enumerate(learner_ids):
                    home = inst_ids[n % n_inst]
                    home_of[lid] = home
                    places = [home] + rng.sample(inst_ids, k=min(2, n_inst))
                    chosen = set()
                    for k in range(deposits_per_learner):
                        iid = places[0] if k < deposits_per_learner * 0.7 else places[1 + k % 2]
                        course_id, credits = courses_of[iid][rng.randrange(per_inst)]
                        year = 2560 + rng.randrange(9)
                        term = 1 + rng.randrange(2)
                        if (course_id, year, term) in chosen:
                            continue
                        chosen.add((course_id, year, term))
                        yield {"id": did, "learner_id": lid, "course_id": course_id, "credits": credits,
                               "grade": GRADES[rng.randrange(len(GRADES))],
                               "completed_on": datetime.date(year - 543 + (term == 2), 3 if term == 2 else 9, 15),
                               "academic_year": year, "term": term, "learning_type": "formal", "status": "active",
                               "recorded_by_id": registrar_ids[iid], "recorded_at": now - datetime.timedelta(minutes=did % 500_000),
                               "void_reason": "", "origin": "earned"}  # fmt: skip
                        did += 1

            count = self._copy(CreditDeposit, deposits())
            self.stdout.write(f"{count} deposits: {time.perf_counter() - started:.0f} s")
            statuses = ["submitted"] * 6 + ["under_review"] * 2 + ["rejected"] * 2
            requests, items = [], []
            for k in range(n_requests):
                rid, lid = base[TransferRequest] + k, learner_ids[rng.randrange(learners)]
                target = inst_ids[rng.randrange(n_inst)]
                status = statuses[k % len(statuses)]
                submitted = now - datetime.timedelta(hours=1 + k % 2000)
                decided = status == "rejected"
                requests.append({"id": rid, "learner_id": lid, "target_institution_id": target, "status": status,
                                 "created_by_id": staff_id, "created_at": submitted, "submitted_at": submitted,
                                 "learner_note": "", "staff_note": "", "decided_by_id": staff_id if decided else None,
                                 "decided_at": now if decided else None})  # fmt: skip
                items.append({"id": base[TransferItem] + k, "request_id": rid, "target_course_id": courses_of[target][0][0],
                              "verdict": "assessment", "conditions": "[]", "decision": "rejected" if decided else "pending",
                              "decision_reason": "ไม่ผ่านการประเมิน" if decided else "", "decided_by_id": staff_id if decided else None,
                              "decided_at": now if decided else None})  # fmt: skip
            self._copy(TransferRequest, requests)
            self._copy(TransferItem, items)
            for model in (Institution, Course, Learner, CreditDeposit, User, TransferRequest, TransferItem):
                self._reset_sequence(model)
        with connection.cursor() as cursor:
            # VACUUM too, not only ANALYZE: the visibility map it writes lets the lists read their indexes alone
            # (index-only scans), as they do on a database that has been running for a while.
            cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(self.style.SUCCESS(
            f"{n_inst} institutions, {len(course_rows)} courses, {learners} learners, {count} deposits, "
            f"{n_requests} transfer requests in {time.perf_counter() - started:.0f} s; users scale-staff, "
            f"scale-reg-<institution id>, scale-learner-<n> with password {PASSWORD}"
        ))  # fmt: skip

    def _triggers_off(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
                return
        import pgtrigger

        self._ignore = pgtrigger.ignore()  # every project trigger, for this transaction's inserts
        self._ignore.__enter__()

    def _next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
            return cursor.fetchone()[0] + 1000

    def _reset_sequence(self, model):
        with connection.cursor() as cursor:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"  # noqa: S608
            )

    def _copy(self, model, rows) -> int:
        fields = [f for f in model._meta.concrete_fields]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        defaults = {}
        for f in fields:
            if f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        count = 0
        raw = connection.cursor().cursor  # psycopg's own cursor, for COPY
        with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:  # noqa: S608
            for row in rows:
                copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
                count += 1
        return count
