"""Reads across several models: a learner's balance, an institution's activity, the province's totals."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum

from .digits import ascii_digits
from .grades import CREDIT_EARNING_CODES
from .models import (
    CreditDeposit,
    CreditImport,
    DepositOrigin,
    DepositStatus,
    Institution,
    Learner,
    LearningType,
    Level,
    Prefix,
)


@dataclass
class Balance:
    """Credits earned (never counted twice) and, apart, credits recognised by transfer into a programme."""

    total: Decimal = Decimal(0)
    transferred_in: Decimal = Decimal(0)
    by_learning_type: dict[str, Decimal] = field(default_factory=dict)
    by_institution: list[tuple[str, Decimal]] = field(default_factory=list)  # (institution name, credits)
    by_level: list[tuple[str, Decimal]] = field(default_factory=list)
    deposit_count: int = 0


def balance_of(deposits: Iterable[CreditDeposit]) -> Balance:
    """The one rule for a learner's totals, used by the balance page, the transcript and `verify_ledger`.

    Only active deposits whose grade earns credit count; earned credits are counted once, by learning type, level
    and institution, and a course passed more than once (a retake to raise the grade, or the same result recorded in
    two terms) counts its credits once; credits recognised by transfer into a programme (transfer-ins) are kept apart.
    Voided deposits and grades that earn nothing (0, F, มส, ...) may be passed in and add nothing. The deposits need
    their course and its institution loaded (select_related), as every page that lists them already does.

    Of a course's passes the first completed (then the first recorded; `verify_ledger` counts the same one) is the one
    counted, whatever order a page lists them in or they were recorded in (an earlier term typed in later); the
    others are marked `repeat = True` for the rows that show them.
    """
    by_type = dict.fromkeys(LearningType.values, Decimal(0))
    by_level: dict[str, Decimal] = {}
    by_institution: dict[int, list] = {}
    balance = Balance()
    earning = [d for d in deposits if d.status == DepositStatus.ACTIVE and d.grade in CREDIT_EARNING_CODES]
    first: dict[int, CreditDeposit] = {}  # course id: its pass that counts
    for deposit in earning:
        if deposit.origin == DepositOrigin.EARNED:
            held = first.get(deposit.course_id)
            if held is None or (deposit.completed_on, deposit.pk) < (held.completed_on, held.pk):
                first[deposit.course_id] = deposit
    for deposit in earning:
        if deposit.origin == DepositOrigin.TRANSFER_IN:
            balance.transferred_in += deposit.credits
            continue
        if first[deposit.course_id] is not deposit:
            deposit.repeat = True
            continue
        course = deposit.course
        balance.deposit_count += 1
        by_type[deposit.learning_type] += deposit.credits
        by_level[course.level] = by_level.get(course.level, Decimal(0)) + deposit.credits
        entry = by_institution.setdefault(course.institution_id, [course.institution.name, Decimal(0)])
        entry[1] += deposit.credits
    balance.by_learning_type = by_type
    balance.total = sum(by_type.values(), Decimal(0))
    levels = dict(Level.choices)
    balance.by_level = [(levels[level], total) for level, total in sorted(by_level.items())]
    balance.by_institution = sorted((tuple(v) for v in by_institution.values()), key=lambda item: (-item[1], item[0]))
    return balance


def passed_before() -> Exists:
    """For an earned deposit in a query: the learner passed the same course before it (completed earlier, or the same
    day and recorded first). Such a pass adds no credit: `balance_of`'s rule, for sums written in SQL (the ledger
    check, an institution's totals; creditbank.reports writes the same in its one-scan SQL)."""
    earlier = CreditDeposit.objects.active().filter(
        origin=DepositOrigin.EARNED, grade__in=CREDIT_EARNING_CODES, learner=OuterRef("learner"),
        course=OuterRef("course"),
    )  # fmt: skip
    return Exists(
        earlier.filter(
            Q(completed_on__lt=OuterRef("completed_on"))
            | Q(completed_on=OuterRef("completed_on"), pk__lt=OuterRef("pk"))
        )
    )


def earlier_pass(deposit: CreditDeposit) -> CreditDeposit | None:
    """Another active, credit-earning deposit of the same learner and course (a retake, or the same result typed
    again in another term): both stay on record, the credits count once (balance_of)."""
    return (
        CreditDeposit.objects.active()
        .filter(learner_id=deposit.learner_id, course_id=deposit.course_id, grade__in=CREDIT_EARNING_CODES)
        .exclude(pk=deposit.pk)
        .order_by("completed_on", "pk")
        .first()
        if deposit.grade in CREDIT_EARNING_CODES
        else None
    )


def learner_balance(learner: Learner) -> Balance:
    """A learner's totals (balance_of) from their active deposits, in one query."""
    return balance_of(CreditDeposit.objects.active().for_learner(learner).select_related("course__institution"))


# A name as the lists write it: the Thai prefix joined to the first name (เด็กชายประเสริฐ), the English one a word of its
# own (Master Prasert); on paper often short (ด.ญ.มาลัย). Longest first, so that นางสาว is not read as นาง.
THAI_PREFIXES = sorted(
    [(label, [code]) for code, label in Prefix.choices] + [("ด.ช.", ["boy"]), ("ด.ญ.", ["girl"]), ("น.ส.", ["miss"])],
    key=lambda item: -len(item[0]),
)
ENGLISH_PREFIXES = {"master": ["boy"], "miss": ["girl", "miss"], "mr": ["mr"], "ms": ["miss"], "mrs": ["mrs"]}


def _title_in(word: str) -> tuple[list[str], str] | None:
    """The prefixes a word names, and what follows it: ("เด็กชายประเสริฐ" → (["boy"], "ประเสริฐ"))."""
    if codes := ENGLISH_PREFIXES.get(word.lower().rstrip(".")):
        return codes, ""
    for label, codes in THAI_PREFIXES:
        if word.startswith(label):
            return codes, word[len(label) :]
    return None


def name_matches(text: str, prefix: str = "") -> Q:
    """Every word of `text` is part of the first or the last name, in Thai or in English (partial): "สม ใจ" finds
    สมชาย ใจดี, and "som jai" finds him too when his English name is recorded. Trigram indexes serve all four. A
    word that begins with a title (นาย, เด็กหญิง, Mr., ...) also matches a learner of that title whose name holds the
    rest of it, so a name copied from a list (เด็กชายประเสริฐ เกิดผล) finds its learner."""

    def in_a_name(word: str) -> Q:
        either = Q()
        for name in ("first_name", "last_name", "first_name_en", "last_name_en"):
            either |= Q(**{f"{prefix}{name}__icontains": word})
        return either

    condition = Q()
    for word in text.split():
        either = in_a_name(word)
        if title := _title_in(word):
            codes, rest = title
            titled = Q(**{f"{prefix}prefix__in": codes})
            either |= titled & in_a_name(rest) if rest else titled
        condition &= either
    return condition


def learner_history(learner: Learner):
    """Every deposit of a learner, voided ones included, newest completion first, with the columns the learner's
    history rows (home/_credit_rows.html) and the totals (balance_of) read, and no others: who recorded it, when,
    from which import and the course's other details stay in the database."""
    return (
        CreditDeposit.objects.for_learner(learner)
        .select_related("course__institution")
        .only(
            "credits",
            "grade",
            "completed_on",
            "learning_type",
            "status",
            "void_reason",
            "origin",
            "course__code",
            "course__title_th",
            "course__title_en",
            "course__level",
            "course__institution__name_th",
            "course__institution__name_en",
        )
        .order_by("-completed_on", "course__code")
    )


def institution_summary(institution: Institution) -> dict:
    deposits = CreditDeposit.objects.for_institution(institution)
    totals = deposits.active().aggregate(
        credits=Sum("credits", filter=Q(grade__in=CREDIT_EARNING_CODES) & ~Q(passed_before())),
        count=Count("id"),
        learners=Count("learner", distinct=True),
    )
    return {
        "credits": totals["credits"] or Decimal(0),
        "deposits": totals["count"],
        "learners": totals["learners"],
        "courses": institution.courses.count(),
        "voided": deposits.filter(status=CreditDeposit.Status.VOIDED).count(),
    }


# Rows a list page shows, in every app. 25 fill about two screens at 1366x768 and one long scroll on a phone, and
# keep a page near 20 KB for a school on a slow link; the filters and the count say where the rest is. Each row is
# about half of a list page's work (docs/performance.md), so this is also what keeps a busy list's wait short.
PAGE_SIZE = 25


def page_of(queryset, number, per_page: int, *, rows=None):
    """Django's Paginator page of `queryset`, read so that PostgreSQL can serve the order from an index.

    The page's primary keys come first, from the filtered and ordered queryset alone (no joins for select_related, no
    GROUP BY for counts); then only those rows, through `rows` (which adds select_related, annotations), in one query
    with the keys as a subquery. Joining or counting every matching row before keeping a page's worth is what made
    long lists slow at province size. `queryset` must be ordered, ending with a unique key so that pages never overlap.
    """
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    shown = queryset.model._default_manager.filter(pk__in=page.object_list)
    page.object_list = (rows or (lambda qs: qs))(shown).order_by(*queryset.query.order_by)
    return page


def deposit_page(deposits, number, per_page: int):
    """A page of the registrar's deposit list (`deposits` filtered and ordered newest first), each deposit with its
    learner and course: the page's keys from deposit_course_recent_idx, then those deposits only, with the columns
    the list shows (registry/deposits.html)."""

    def rows(shown):
        return shown.select_related("learner", "course").only(
            "credits", "grade", "academic_year", "term", "learning_type", "status",
            "learner__prefix", "learner__first_name", "learner__last_name", "learner__first_name_en",
            "learner__last_name_en", "learner__national_id",
            "course__code", "course__title_th", "course__title_en",
        )  # fmt: skip

    return page_of(deposits, number, per_page, rows=rows)


def courses_matching(courses, typed: str):
    """The courses whose code or title (Thai or English) holds the typed text; all of them for no text. The deposit
    form's course search, as typed (registry:course_options) and when the form comes back with an error."""
    if not typed:
        return courses
    code = ascii_digits(typed)  # ท๒๑๑๐๑ finds ท21101
    return courses.filter(Q(code__icontains=code) | Q(title_th__icontains=typed) | Q(title_en__icontains=typed))


def imports_listed(institution_id: int):
    """An institution's imports, newest first, for a list: without their reports (the rows), with who uploaded them,
    and whether anything each imported still stands (`standing`: an undone import is listed as such)."""
    standing = CreditDeposit.objects.filter(credit_import=OuterRef("pk"), status=DepositStatus.ACTIVE)
    return (
        CreditImport.objects.filter(institution_id=institution_id)
        .select_related("uploaded_by")
        .defer("report")
        .annotate(standing=Exists(standing))
    )


def import_outcome(credit_import: CreditImport) -> dict:
    """What has become of an import since it was checked or written, for its page: a preview checked before another
    file was imported (`checked_before_another`: its numbers may change when imported); of an imported file, how
    many of its deposits still stand (`active_deposits`) and, when none does, the void that undid it (`undone`: when,
    by whom, why)."""
    if credit_import.status == CreditImport.Status.PREVIEWED:
        later = CreditImport.objects.filter(
            institution_id=credit_import.institution_id,
            status=CreditImport.Status.COMMITTED,
            committed_at__gt=credit_import.uploaded_at,
        )
        return {"checked_before_another": later.exists()}
    if credit_import.status != CreditImport.Status.COMMITTED:
        return {}
    active = credit_import.deposits.filter(status=DepositStatus.ACTIVE).count()
    outcome = {"active_deposits": active}
    if credit_import.new_count and not active:
        outcome["undone"] = credit_import.deposits.select_related("voided_by").order_by("-voided_at", "-pk").first()
    return outcome
