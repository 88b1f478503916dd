"""The demo holds something to try for every part of the transfer work."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.models import User
from transfers.demo import demo_states
from transfers.models import Equivalence, RequestStatus, TransferRequest
from transfers.services.rules import equivalence_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", password="demo-pass", verbosity=0)


def test_there_is_a_request_in_every_state(seeded):
    states = demo_states()
    assert all(states[s] >= 1 for s in RequestStatus.values), states


def test_one_request_under_review_has_four_waiting_items_of_every_verdict(seeded):
    request = TransferRequest.objects.get(status="under_review")
    items = list(request.items.all())
    assert len(items) >= 4 and all(i.decision == "pending" for i in items)
    assert {i.verdict for i in items} == {"match", "fail", "assessment"}
    provincial = User.objects.get(username="provincial")
    assert provincial.pk not in {request.created_by_id, request.submitted_by_id}


def test_a_rule_proposed_by_another_officer_waits_for_provincial(seeded):
    provincial = User.objects.get(username="provincial")
    waiting = Equivalence.objects.get(status="proposed")
    assert waiting.proposed_by.username == "provincial2"
    assert not Equivalence.objects.filter(decided_by__username="provincial2").exists()
    assert equivalence_decide(actor=provincial, rule_id=waiting.pk, approve=True, reason="มติที่ประชุม").status == (
        "approved"
    )


def test_the_report_for_2566_gives_that_years_figures_not_all_time_nor_zeros(seeded, client):
    client.force_login(User.objects.get(username="provincial"))

    def total(**params):
        rows = list(
            csv.reader(io.StringIO(client.get(reverse("report", args=["csv"]), params).content.decode("utf-8-sig")))
        )
        return int(rows[-1][3])

    year, all_time = total(academic_year="2566"), total()
    assert 0 < year < all_time
    from registry.models import CreditDeposit

    assert year == CreditDeposit.objects.active().filter(origin="earned", academic_year=2566).count()
