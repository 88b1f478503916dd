"""python manage.py seed_demo [--password PW]: the demo province, run again safely: it adds only what is missing."""

import datetime
import random
from decimal import Decimal

import pghistory
from django.core.management.base import BaseCommand
from django.db import transaction

from registry import demo
from registry.models import Course, CreditDeposit, Institution, Learner, Prefix, Role, User, scale_for_level
from transfers import demo as transfers_demo

DEFAULT_PASSWORD = "phichit-demo"  # noqa: S105  (documented in the README; demo data only)
SEED = 2568
TODAY = datetime.date(2026, 1, 1)  # learners' ages are reckoned from here so the data never changes


class Command(BaseCommand):
    help = "Load the demo province: institutions, courses, about 200 learners, their deposits and demo users."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password for every demo user")
        parser.add_argument("--learners", type=int, default=200)

    @transaction.atomic
    def handle(self, *args, password, learners, **options):
        rng = random.Random(SEED)
        admin = self._user(
            "admin", password, Role.ADMINISTRATOR, first_name="ผู้ดูแลระบบ", superuser=True, name_en=("Administrator", "")
        )
        with pghistory.context(user=admin.pk, service="seed_demo"):
            institutions = self._institutions()
            courses = self._courses(institutions)
            provincial = self._user(
                "provincial",
                password,
                Role.PROVINCIAL_STAFF,
                "สุนิสา",
                "ประจำจังหวัด",
                name_en=("Sunisa", "Prachamchangwat"),
            )
            registrar = self._user(
                "registrar",
                password,
                Role.REGISTRAR,
                "วิไลวรรณ",
                "ทะเบียนดี",
                institutions["1066540101"],
                name_en=("Wilaiwan", "Thabian-di"),
            )
            registrar2 = self._user(
                "registrar2", password, Role.REGISTRAR, "ประสิทธิ์", "บันทึกผล", institutions["1366100001"]
            )
            people = self._learners(rng, learners)
            recorders = {code: registrar if code == "1066540101" else registrar2 for code in institutions}
            recorders.update({code: admin for code in institutions if code not in {"1066540101", "1366100001"}})
            created = self._deposits(rng, people, courses, recorders)
            self._demo_learner_user(people[0], "learner", password)
            self._demo_learner_user(people[1], "learner2", password)
        self._voids(people, admin)  # its own service, outside: inside, every demo record's trail had said "voided"
        self._transfers(password, provincial, registrar, people)
        self._imports(registrar, people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(institutions)} institutions, {len(people)} learners, "
                f"{created} new deposits. Users admin, provincial, provincial2, registrar, registrar2, learner, "
                "learner2; "
                f"password: {password}"
            )
        )

    def _transfers(self, password, provincial, registrar, people):
        """Rules (proposed by a second officer, approved by `provincial`), a rule still waiting for `provincial`, and
        transfer requests in every state. The services' own contexts name who did what."""
        officer2 = self._user("provincial2", password, Role.PROVINCIAL_STAFF, "ณัฐวุฒิ", "เทียบโอนดี")
        programme = transfers_demo.seed(staff=provincial, learners=people, proposer=officer2)
        transfers_demo.seed_pending_rule(proposer=officer2)
        transfers_demo.seed_requests(programme=programme, staff=provincial, filer=registrar)

    def _imports(self, registrar, people):
        """The import pages in every state for `registrar`: one rejected with errors, one committed, one of
        duplicates only (nothing to commit). Each file is made once; running again adds nothing."""
        from registry.importing.columns import COLUMNS
        from registry.importing.writing import credit_import_analyse, credit_import_commit
        from registry.models import CreditImport

        header = ",".join(COLUMNS)
        newcomer = demo.national_id(random.Random(SEED + 18))
        term1 = [
            f"{people[5].national_id},,,,,ท21101,,,3.5,30/09/2568,2568,1,",
            f"{people[5].national_id},,,,,ค21101,,,3,30/09/2568,2568,1,",
            f"{people[6].national_id},,,,,ท21101,,1.5,4,30/09/2568,2568,1,",
        ]
        with_errors = [
            f"{newcomer},เด็กหญิง,กมลชนก,ใฝ่เรียน,31/02/2555,ท21101,,,3,30/09/2568,2568,1,",
            f"{newcomer},เด็กหญิง,กมลชนก,ใฝ่เรียน,,ค21101,,,B+,30/09/2568,2025,1,",
            f"{newcomer},เด็กหญิง,กมลชนก,ใฝ่รู้,,ว21101,,2,3,30/09/2568,2568,1,",
            f"{people[5].national_id},,,,,ส21101,,,4,30/09/2568,2568,1,",
        ]
        files = [("ผลการเรียน-ภาค1-2568-มีข้อผิดพลาด.csv", with_errors), ("ผลการเรียน-ภาค1-2568.csv", term1),
                 ("ผลการเรียน-ภาค1-2568-ส่งซ้ำ.csv", term1)]  # fmt: skip
        for name, rows in files:
            if CreditImport.objects.filter(institution=registrar.institution, original_name=name).exists():
                continue
            data = ("\n".join([header, *rows]) + "\n").encode()
            credit_import = credit_import_analyse(
                actor=registrar, institution=registrar.institution, data=data, filename=name, create_courses=False
            )
            if name == files[1][0] and credit_import.status == CreditImport.Status.PREVIEWED:
                credit_import_commit(actor=registrar, import_id=credit_import.pk)

    def _user(
        self, username, password, role, first_name="", last_name="", institution=None, superuser=False, name_en=("", "")
    ):
        """A demo login; staff with their name in English too, as English pages and official copies print it."""
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "institution": institution,
                "first_name": first_name,
                "last_name": last_name,
                "first_name_en": name_en[0],
                "last_name_en": name_en[1],
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return user

    def _institutions(self):
        result = {}
        for code, name_th, name_en, kind, district, signed in demo.INSTITUTIONS:
            result[code], _ = Institution.objects.get_or_create(
                code=code,
                defaults={
                    "name_th": name_th,
                    "name_en": name_en,
                    "kind": kind,
                    "district": district,
                    "mou_member": signed is not None,
                    "mou_signed_on": datetime.date.fromisoformat(signed) if signed else None,
                },
            )
        return result

    def _courses(self, institutions):
        result = {}
        for inst_code, rows in demo.COURSES_BY_INSTITUTION.items():
            institution = institutions[inst_code]
            result[inst_code] = []
            for code, title_th, title_en, credits, hours, level, group, learning_type in rows:
                course, _ = Course.objects.get_or_create(
                    institution=institution,
                    code=code,
                    defaults={
                        "title_th": title_th,
                        "title_en": title_en,
                        "credits": Decimal(credits),
                        "hours": hours,
                        "level": level,
                        "subject_group": group,
                        "learning_type": learning_type,
                    },
                )
                result[inst_code].append(course)
        return result

    def _learners(self, rng, count):
        people = []
        for i in range(count):
            male = rng.random() < 0.5
            first = rng.choice(demo.MALE_NAMES if male else demo.FEMALE_NAMES)
            last = rng.choice(demo.LAST_NAMES)
            adult = i % 4 == 0
            birth = (
                datetime.date(rng.randint(1970, 2000), rng.randint(1, 12), rng.randint(1, 28))
                if adult
                else datetime.date(rng.randint(2008, 2012), rng.randint(1, 12), rng.randint(1, 28))
            )
            age = (TODAY - birth).days // 365
            if age < 15:
                prefix = Prefix.BOY if male else Prefix.GIRL
            else:
                prefix = Prefix.MR if male else (Prefix.MRS if adult and rng.random() < 0.5 else Prefix.MISS)
            nid = demo.national_id(rng)
            learner, _ = Learner.objects.get_or_create(
                national_id=nid,
                defaults={
                    "id_type": "citizen",
                    "prefix": prefix,
                    "first_name": first,
                    "last_name": last,
                    # An English name only when both its parts are known, as the forms ask.
                    "first_name_en": demo.ROMAN.get(first, "") if demo.ROMAN.get(last) else "",
                    "last_name_en": demo.ROMAN.get(last, "") if demo.ROMAN.get(first) else "",
                    "birth_date": birth,
                },
            )
            people.append((learner, adult))
        return [learner for learner, _ in people]

    def _deposits(self, rng, people, courses, recorders):
        """Each learner's deposits, created once: a learner who already has deposits is left alone."""
        has_deposits = set(CreditDeposit.objects.values_list("learner_id", flat=True).distinct())
        school_codes = ["1066540101", "1066540202", "1066540303"]
        vocational_codes = ["1366100001", "1366100002"]
        non_formal_codes = ["SKR-66010", "SKR-66060", "DSD-PCT"]
        informal_codes = ["CE-WSP01", "CE-BNR01"]
        rows = []
        for index, learner in enumerate(people):
            if learner.pk in has_deposits:
                continue
            if index < 2:
                # The demo learners: at least three institutions and all three kinds of learning.
                plan = [school_codes[index], "SKR-66010", "CE-WSP01", "DSD-PCT", "CC-PCT"]
            else:
                plan = [rng.choice(school_codes + vocational_codes)]
                if rng.random() < 0.45:
                    plan.append(rng.choice(non_formal_codes))
                if rng.random() < 0.25:
                    plan.append(rng.choice(informal_codes))
                if rng.random() < 0.1:
                    plan.append("CC-PCT")
            for inst_code in plan:
                available = courses[inst_code]
                for course in rng.sample(available, k=min(len(available), rng.randint(2, 6))):
                    year = rng.choice([2565, 2566, 2567, 2568])
                    term = rng.choice([1, 2])
                    scale = scale_for_level(course.level)
                    rows.append(
                        CreditDeposit(
                            learner=learner,
                            course=course,
                            credits=course.credits,
                            grade=demo.pick_grade(rng, scale.key),
                            completed_on=demo.completion_date(year, term),
                            academic_year=year,
                            term=term,
                            learning_type=course.learning_type,
                            recorded_by=recorders[inst_code],
                        )
                    )
        CreditDeposit.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return len(rows)

    def _demo_learner_user(self, learner, username, password):
        user = self._user(username, password, Role.LEARNER, learner.first_name, learner.last_name)
        if learner.user_id != user.pk:
            Learner.objects.filter(user=user).exclude(pk=learner.pk).update(user=None)
            learner.user = user
            learner.save(update_fields=["user"])

    def _voids(self, people, admin):
        """One corrected deposit, so the demo shows how a void looks."""
        from registry.services import deposit_void

        learner = people[2]
        if learner.deposits.filter(status=CreditDeposit.Status.VOIDED).exists():
            return
        deposit = learner.deposits.active().order_by("pk").first()
        if deposit:
            deposit_void(actor=admin, deposit_id=deposit.pk, reason="บันทึกผลการเรียนผิดภาคเรียน (ตัวอย่างการยกเลิก)")
