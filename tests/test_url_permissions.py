"""The authorization harness: every URL pattern of the project × anonymous and every role.

Each app keeps its grid in tests/<app>/grid.py. A view added without an entry fails
`test_every_url_pattern_has_an_expectation`, so no page ships without its permission test. Django's own admin
pages are covered by their index entry: the admin site checks is_staff itself on every one of them.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.importing.writing import credit_import_analyse
from registry.models import Role
from registry.services import evidence_attach
from registry.uploads import CheckedFile
from tests.creditbank.grid import GRID as CREDITBANK_GRID
from tests.factories import CourseFactory, UserFactory
from tests.grid import ROLES
from tests.html_checks import repeated_attributes
from tests.registry.grid import GRID as REGISTRY_GRID
from tests.transcripts.grid import GRID as TRANSCRIPTS_GRID
from tests.transfers.grid import GRID as TRANSFERS_GRID
from transfers.models import Programme, RequestDocument, TransferItem, TransferRequest
from transfers.services.rules import equivalence_decide, equivalence_propose

GRID = {**CREDITBANK_GRID, **REGISTRY_GRID, **TRANSFERS_GRID, **TRANSCRIPTS_GRID}
LOGIN = "/accounts/login/"
# Namespaces whose every page is guarded by the same check as the entry that stands for them.
COVERED_NAMESPACES = {"admin": "admin:index"}


def all_url_names(patterns, namespace=""):
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names += all_url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>")
    return names


def missing_expectations(patterns):
    return [
        name for name in all_url_names(patterns) if name not in GRID and name.split(":")[0] not in COVERED_NAMESPACES
    ]


def test_every_url_pattern_has_an_expectation():
    missing = missing_expectations(get_resolver().url_patterns)
    assert not missing, f"URL patterns with no permission expectation: {missing}"


def test_the_harness_fails_for_a_url_without_an_expectation():
    from django.urls import path

    patterns = get_resolver().url_patterns + [path("new/", lambda request: None, name="new_view")]
    assert missing_expectations(patterns) == ["new_view"]


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def small_import(user, institution, course):
    data = (
        "national_id,prefix,first_name,last_name,course_code,grade,completed_on,academic_year,term\n"
        f"1101700207030,นาย,สมชาย,ใจดี,{course.code},2,2025-03-15,2567,1\n"
    ).encode()
    return credit_import_analyse(actor=user, institution=institution, data=data, filename="a.csv", create_courses=False)


def transfer_objects(registrar, registrar2, provincial, deposit, other_deposit):
    """A rule, a programme and a request on each side: the registrar's school, and the college."""
    school, college = registrar.institution, registrar2.institution
    rule = equivalence_propose(
        actor=provincial,
        source_courses=[other_deposit.course],
        target_courses=[deposit.course],
        basis="ทดสอบ",
        same_level=False,  # a college's course and a school's: only who may see the rule matters here
    )
    other_rule = equivalence_propose(
        actor=provincial,
        source_courses=[deposit.course],
        target_courses=[other_deposit.course],
        basis="ทดสอบ",
        same_level=False,
    )
    # An approved rule into the registrar's school: what a new version is proposed of.
    approved_rule = equivalence_propose(
        actor=provincial, source_courses=[CourseFactory(institution=college, code="GRID-1")],
        target_courses=[CourseFactory(institution=school, code="GRID-2")], basis="ทดสอบ",
    )  # fmt: skip
    decider = UserFactory(username="grid-decider", role=Role.PROVINCIAL_STAFF)
    equivalence_decide(actor=decider, rule_id=approved_rule.pk, approve=True, reason="ทดสอบ")

    def programme(institution, course):
        p = Programme.objects.create(
            institution=institution, code="P1", name_th="หลักสูตร", level=course.level, required_credits=10
        )
        p.courses.set([course])
        return p

    def request(learner, institution, prog, course, user):
        r = TransferRequest.objects.create(
            learner=learner, target_institution=institution, programme=prog, created_by=user, status="submitted"
        )
        item = TransferItem.objects.create(request=r, target_course=course, verdict="assessment")
        return r, item

    school_programme = programme(school, deposit.course)
    college_programme = programme(college, other_deposit.course)
    req, item = request(deposit.learner, school, school_programme, deposit.course, deposit.learner.user)
    other_req, _ = request(
        other_deposit.learner, college, college_programme, other_deposit.course, other_deposit.learner.user
    )

    def document(transfer_request):
        d = RequestDocument(request=transfer_request, content_type="image/png", uploaded_by=transfer_request.created_by)
        d.file.save("d.png", ContentFile(PNG_1PX), save=True)
        return d

    return {
        "document": document(req),
        "other_document": document(other_req),
        "rule": rule,
        "other_rule": other_rule,
        "approved_rule": approved_rule,
        "programme": school_programme,
        "other_programme": college_programme,
        "request": req,
        "other_request": other_req,
        "item": item,
    }


def learner_objects(registrar, registrar2, deposit):
    from django.core.files.base import ContentFile

    from tests.factories import LearnerFactory
    from transcripts.models import Transcript, TranscriptBatch

    def batch(user):
        b = TranscriptBatch(institution=user.institution, requested_by=user, academic_year=2567, status="done")
        b.file.save("b.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        return b

    return {
        "new_learner": LearnerFactory(registered_by_institution=registrar.institution),
        "transcript": Transcript.objects.create(
            number="PCB2569-0000001",
            verification_code="ABCDEFGHJKLM",
            learner=deposit.learner,
            issued_by=registrar,
            language="th",
            content_sha256="0" * 64,
            total_credits=1,
            course_count=1,
        ),  # fmt: skip
        "batch": batch(registrar),
        "other_batch": batch(registrar2),
    }


@pytest.fixture
def people(learner_user, registrar, registrar2, provincial, administrator, deposit, other_deposit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = CheckedFile(PNG_1PX, "image/png", "cert.png")
    return {
        "anonymous": None,
        "learner": learner_user,
        "registrar": registrar,
        "provincial": provincial,
        "administrator": administrator,
        "deposit": deposit,
        "other_deposit": other_deposit,
        "evidence": evidence_attach(actor=registrar, deposit=deposit, evidence=png),
        "other_evidence": evidence_attach(actor=registrar2, deposit=other_deposit, evidence=png),
        "import": small_import(registrar, registrar.institution, deposit.course),
        "other_import": small_import(registrar2, registrar2.institution, other_deposit.course),
        **transfer_objects(registrar, registrar2, provincial, deposit, other_deposit),
        **learner_objects(registrar, registrar2, deposit),
    }


def check(response, wanted, label):
    if wanted == "login":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), label
    elif wanted == "admin-login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login")), label
    else:
        assert response.status_code == wanted, f"{label}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(GRID))
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_each_role_as_expected(client, people, name, role):
    expect = GRID[name]
    if people[role] is not None:
        client.force_login(people[role])
    response = getattr(client, expect.method)(expect.url(people), expect.data)
    check(response, expect.status[role], f"{name} as {role}")
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert not repeated_attributes(response.content.decode()), f"{name} as {role}"
    if hasattr(response, "streaming_content"):
        io.BytesIO(b"".join(response.streaming_content))  # close file handles


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, e in GRID.items() if e.other))
def test_another_institutions_or_learners_object_is_a_404(client, people, name):
    expect = GRID[name]
    for role in expect.other_404:
        client.force_login(people[role])
        response = getattr(client, expect.method)(expect.other(people), expect.data)
        assert response.status_code == 404, f"{name} as {role}: {response.status_code}"


def test_the_page_walk_notices_an_attribute_written_twice():
    assert repeated_attributes('<input type="text" name="q" type="search"><a href="/">x</a>') == ["<input type=…>"]
    assert repeated_attributes('<input type="search" name="q"><br/>') == []
