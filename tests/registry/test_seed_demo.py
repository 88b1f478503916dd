import pytest
from django.core.management import call_command
from stdnum.th import pin

from registry.models import Course, CreditDeposit, Institution, Learner, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", password="demo-pass", verbosity=0)


def test_demo_province_has_every_kind_of_institution_and_realistic_data(seeded):
    assert Institution.objects.count() >= 11
    assert set(Institution.objects.values_list("kind", flat=True)) == set(Institution.Kind.values)
    assert Learner.objects.count() == 200
    assert all(pin.is_valid(nid) for nid in Learner.objects.values_list("national_id", flat=True))
    assert set(CreditDeposit.objects.values_list("learning_type", flat=True)) == {"formal", "non_formal", "informal"}
    assert Course.objects.filter(code="ท21101").exists() and Course.objects.filter(code="20000-1101").exists()


def test_demo_users_have_their_roles_and_the_given_password(seeded):
    expected = {
        "admin": "administrator",
        "provincial": "provincial_staff",
        "registrar": "registrar",
        "registrar2": "registrar",
        "learner": "learner",
        "learner2": "learner",
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.role == role and user.check_password("demo-pass")
    registrar, registrar2 = User.objects.get(username="registrar"), User.objects.get(username="registrar2")
    assert registrar.institution.kind == "school"
    assert registrar2.institution != registrar.institution


def test_demo_learner_has_credits_from_three_institutions_and_all_learning_types(seeded):
    for username in ["learner", "learner2"]:
        deposits = CreditDeposit.objects.active().filter(learner__user__username=username)
        assert deposits.values("course__institution").distinct().count() >= 3
        assert set(deposits.values_list("learning_type", flat=True)) == {"formal", "non_formal", "informal"}


def test_seed_demo_is_idempotent(seeded):
    counts = [
        Institution.objects.count(),
        Course.objects.count(),
        Learner.objects.count(),
        CreditDeposit.objects.count(),
    ]
    call_command("seed_demo", password="demo-pass", verbosity=0)
    assert counts == [
        Institution.objects.count(),
        Course.objects.count(),
        Learner.objects.count(),
        CreditDeposit.objects.count(),
    ]


def test_demo_imports_show_every_import_screen(seeded):
    from registry.models import CreditImport

    imports = {i.original_name: i for i in CreditImport.objects.filter(institution__code="1066540101")}
    assert [i.status for i in imports.values()].count("rejected") == 1
    rejected = next(i for i in imports.values() if i.status == "rejected")
    assert rejected.error_count == 3 and rejected.new_count == 1  # errors beside a good row: nothing written
    committed = next(i for i in imports.values() if i.status == "committed")
    assert committed.new_count == 3 and CreditDeposit.objects.filter(credit_import=committed).count() == 3
    duplicates = next(i for i in imports.values() if i.status == "previewed")
    assert duplicates.new_count == 0 and duplicates.duplicate_count == 3
    call_command("seed_demo", password="demo-pass", verbosity=0)
    assert CreditImport.objects.count() == 3
