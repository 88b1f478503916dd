"""Reads across several models: rules with their courses, credits used by transfers, a programme's progress."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, Exists, OuterRef, Q, When

from registry.digits import ascii_digits
from registry.identifiers import catalogue_code, clean_text
from registry.models import Course, CreditDeposit, Institution, Learner, Level, local_name
from registry.query import row_id

from .matching import evaluate, programme_courses
from .models import (
    AppliedCredit,
    Equivalence,
    EquivalenceSource,
    EquivalenceTarget,
    ItemDecision,
    Programme,
    RequestStatus,
    TransferRequest,
    Verdict,
)


class RuleCourse(NamedTuple):
    """A course as a rule's side shows it (transfers/_rule_courses.html), its names in the reader's language."""

    institution: str
    code: str
    title: str
    credits: Decimal


RULE_COURSE_COLUMNS = (
    "course__institution__name_th", "course__institution__name_en",
    "course__code", "course__title_th", "course__title_en", "course__credits",
)  # fmt: skip


def with_courses(rules) -> list:
    """The rules (a page of them, or one), read here, each with `source_list` and `target_list`: its courses on each
    side as RuleCourse rows, in the order they were given, in one query a side.

    Rows rather than link, course and institution models: a page of the public guide showed about 180 of those, and
    building them was a fifth of the page's work."""
    rules = list(rules)
    by_id = {rule.pk: rule for rule in rules}
    for rule in rules:
        rule.source_list, rule.target_list = [], []
    for links, side in ((EquivalenceSource.objects, "source_list"), (EquivalenceTarget.objects, "target_list")):
        rows = links.filter(equivalence__in=list(by_id)).order_by("pk")  # the order the proposer gave
        for rule_id, name_th, name_en, code, title_th, title_en, credits in rows.values_list(
            "equivalence_id", *RULE_COURSE_COLUMNS
        ):
            course = RuleCourse(local_name(name_th, name_en), code, local_name(title_th, title_en), credits)
            getattr(by_id[rule_id], side).append(course)
    return rules


def split_codes(text) -> list[str]:
    """Course codes as a rule's form takes them: separated by commas (or semicolons), in capitals, each once."""
    codes = [catalogue_code(c) for c in (text or "").replace(";", ",").split(",")]
    return list(dict.fromkeys(c for c in codes if c))


FINDER_MATCHES = 8
FINDER_CODES = 20  # a rule names a few courses a side; more typed are not looked up


def course_finder(data, side: str) -> dict:
    """One side of a rule's form, read from its fields (`<side>_institution`, `<side>_codes`, `<side>_find`): the
    course each typed code names in the chosen institution's catalogue (None: not in it), and the catalogue's courses
    whose code or title holds the text being searched for, the codes already typed left out."""
    number = row_id(data.get(f"{side}_institution"))
    institution = Institution.objects.filter(pk=number).first() if number is not None else None
    found = {"side": side, "institution": institution, "named": [], "matches": [], "q": ""}
    if institution is None:
        return found
    catalogue = Course.objects.filter(institution=institution).order_by("code")
    codes = split_codes(data.get(f"{side}_codes"))[:FINDER_CODES]
    by_code = {course.code: course for course in catalogue.filter(code__in=codes)} if codes else {}
    found["named"] = [(code, by_code.get(code)) for code in codes]
    found["q"] = q = clean_text(data.get(f"{side}_find") or "")[:100]
    if q:
        matches = list(
            catalogue.filter(Q(code__icontains=ascii_digits(q)) | Q(title_th__icontains=q) | Q(title_en__icontains=q))[
                : FINDER_MATCHES + len(codes)
            ]
        )
        found["matches"] = [course for course in matches if course.code not in codes][:FINDER_MATCHES]
        found["all_typed"] = bool(matches) and not found["matches"]  # every match is in the box already
    return found


def rule_queryset():
    """Rules with the people who proposed, decided and retired them, for a rule's own page (courses: with_courses)."""
    return Equivalence.objects.select_related("proposed_by", "decided_by", "retired_by")


def search_rules(qs, q):
    """Rules whose source or target course code, Thai title or English title contains `q`. A code holds no space, so
    one typed with a space (ท 21101) is found too."""
    q = clean_text(q)
    if not q:
        return qs
    code = ascii_digits(q.replace(" ", ""))  # ท๒๑๑๐๑ finds ท21101
    matches = Q(source_links__course__code__icontains=code) | Q(source_links__course__title_th__icontains=q)
    matches |= Q(source_links__course__title_en__icontains=q) | Q(target_links__course__title_en__icontains=q)
    matches |= Q(target_links__course__code__icontains=code) | Q(target_links__course__title_th__icontains=q)
    return qs.filter(matches).distinct()


def with_applied(deposits):
    """Deposits annotated with `applied`: already used by an approved transfer (read with the deposits themselves)."""
    used = AppliedCredit.objects.filter(source_deposit=OuterRef("pk"), item__decision=ItemDecision.APPROVED)
    return deposits.annotate(applied=Exists(used))


def applied_credits(deposits) -> Decimal:
    """Credits of a learner's deposits already used by approved transfers, each deposit counted once
    (`deposits` come from with_applied)."""
    return sum((d.credits for d in deposits if d.applied), Decimal(0))


@dataclass
class Progress:
    programme: Programme
    earned: Decimal
    required: Decimal
    missing: list = field(default_factory=list)
    could_transfer: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # candidates the office refused before: said apart, not counted
    asked: list = field(default_factory=list)  # (course, request id): asked for in a request waiting for a decision

    @property
    def percent(self) -> int:
        return min(100, int(100 * self.earned / self.required)) if self.required else 0

    @property
    def could_credits(self) -> Decimal:
        """What the courses approved rules would cover are worth: said beside the bar, which counts what is held."""
        return sum((c.target.credits for c in self.could_transfer), Decimal(0))


def programme_progress(learner: Learner, programme: Programme) -> Progress:
    """Credits the learner holds in the programme's courses, what is missing, what approved rules could add, and what
    a request already sent asks for (it had been listed as "not covered" once sent)."""
    wanted = programme_courses(programme)
    credited = CreditDeposit.objects.holding().filter(learner=learner, course_id__in=wanted).select_related("course")
    have = {}
    for deposit in credited:
        have.setdefault(deposit.course_id, deposit)
    earned = sum((d.credits for d in have.values()), Decimal(0))
    evaluation = evaluate(learner, programme)
    matching = [c for c in evaluation.candidates if c.verdict == Verdict.MATCH]
    could = [c for c in matching if not c.refused]
    refused = [c for c in matching if c.refused]
    asked = (
        [
            (course, evaluation.asked[course.pk])
            for course in Course.objects.filter(pk__in=evaluation.asked).order_by("code")
        ]
        if evaluation.asked
        else []
    )
    # Still missing: neither held, nor reachable by an approved rule (listed apart, under "could transfer"), nor asked.
    reachable = {c.target.pk for c in matching}  # a refused one is said apart, not as "not covered"
    missing = list(programme.courses.exclude(pk__in=[*have, *reachable, *evaluation.asked]).order_by("code"))
    return Progress(programme, earned, programme.required_credits, missing, could, asked=asked, refused=refused)


# The short names Thai people give levels of education ("ม.ต้น", "ปวส."), dots left out: a learner searching for one
# had found nothing, the programme being named "มัธยมศึกษาตอนต้น".
LEVEL_WORDS = {
    "ประถม": Level.PRIMARY,
    "มต้น": Level.LOWER_SECONDARY,
    "มัธยมต้น": Level.LOWER_SECONDARY,
    "มปลาย": Level.UPPER_SECONDARY,
    "มัธยมปลาย": Level.UPPER_SECONDARY,
    "ปวช": Level.VOCATIONAL_CERTIFICATE,
    "ปวส": Level.HIGH_VOCATIONAL,
    "ปตรี": Level.BACHELOR,
    "ปริญญาตรี": Level.BACHELOR,
    # A class names its level too: ม.1-ม.3 lower secondary, ม.4-ม.6 upper.
    **{f"ม{n}": Level.LOWER_SECONDARY for n in (1, 2, 3)},
    **{f"ม{n}": Level.UPPER_SECONDARY for n in (4, 5, 6)},
}


def _words(text: str) -> list[str]:
    """The words of a search, a level's short name typed with a space kept whole ("ม. ต้น", "ม 3")."""
    words, merged = text.split(), []
    while words:
        word = words.pop(0)
        if words and ascii_digits(word + words[0]).replace(".", "") in LEVEL_WORDS:
            word += words.pop(0)
        merged.append(word)
    return merged


def programme_matches(text: str) -> Q:
    """Programmes whose code, name or institution's name (Thai or English: the page shows either) holds every word
    of `text`, or whose level a word names (LEVEL_WORDS)."""
    condition = Q()
    for word in _words(text):
        matches = (
            Q(code__icontains=word)
            | Q(name_th__icontains=word)
            | Q(name_en__icontains=word)
            | Q(institution__name_th__icontains=word)
            | Q(institution__name_en__icontains=word)
        )
        if level := LEVEL_WORDS.get(ascii_digits(word.replace(".", ""))):
            matches |= Q(level=level)
        condition &= matches
    return condition


def programme_search(text: str, limit: int = 10):
    """Active programmes matching `text` (programme_matches)."""
    return list(
        Programme.objects.filter(programme_matches(text), active=True)
        .select_related("institution")
        .order_by("name_th")[:limit]
    )


WAITING_ON_FILER = (RequestStatus.RETURNED, RequestStatus.DRAFT)


def _sent_back_first(requests):
    return requests.order_by(Case(When(status=RequestStatus.RETURNED, then=0), default=1), "-pk")


def waiting_on_filer(user):
    """The requests `user` filed that wait on them: those the office sent back first, then their unsent drafts, newest
    first in each."""
    return _sent_back_first(
        TransferRequest.objects.filter(created_by=user, status__in=WAITING_ON_FILER).select_related("learner")
    )


def waiting_on_learner(learner):
    """A learner's requests that wait on them (whoever filed them, the learner may answer and send them), in the same
    order: a request sent back had been one line far down their balance page."""
    return _sent_back_first(
        TransferRequest.objects.filter(learner=learner, status__in=WAITING_ON_FILER).select_related(
            "target_institution"
        )
    )
