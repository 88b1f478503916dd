"""The ledger's invariants, checked set-wise in SQL by `manage.py verify_ledger` (and by the tests).

Each check returns the offending rows, so an operator sees what is wrong, not only that something is.
"""

import hashlib
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from registry.grades import CREDIT_EARNING_CODES
from registry.models import CreditDeposit, DepositOrigin, Learner
from registry.selectors import learner_balance, passed_before
from transfers.models import AppliedCredit, ItemDecision, RequestStatus, TransferItem


def applied_twice():
    """A source deposit applied more than once to one target course."""
    return list(
        AppliedCredit.objects.values("source_deposit", "target_course")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("source_deposit", "target_course", "n")
    )


def transfer_ins_without_decision():
    """Transfer-in deposits with no approved item of a decided request behind them."""
    backed = TransferItem.objects.filter(
        posted_deposit=OuterRef("pk"),
        decision=ItemDecision.APPROVED,
        request__status__in=[RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED],
    )
    return list(
        CreditDeposit.objects.filter(origin=DepositOrigin.TRANSFER_IN)
        .exclude(Exists(backed))
        .values_list("pk", flat=True)
    )


def approved_items_not_posted():
    return list(
        TransferItem.objects.filter(decision=ItemDecision.APPROVED, posted_deposit__isnull=True).values_list(
            "pk", flat=True
        )
    )


def applications_without_approval():
    return list(AppliedCredit.objects.exclude(item__decision=ItemDecision.APPROVED).values_list("pk", flat=True))


def balances_disagree(sample: int | None = None):
    """Each learner's totals as the balance page and the transcript compute them (registry.selectors.balance_of),
    against plain SQL sums of active, credit-earning deposits: earned credits once per course, transfer-ins apart."""
    earning = CreditDeposit.objects.active().filter(grade__in=CREDIT_EARNING_CODES)
    sums = (
        earning.filter(Q(origin=DepositOrigin.TRANSFER_IN) | ~Q(passed_before()))  # a course passed again: once
        .values("learner")
        .annotate(
            earned=Coalesce(Sum("credits", filter=Q(origin=DepositOrigin.EARNED)), Decimal(0)),
            transferred_in=Coalesce(Sum("credits", filter=Q(origin=DepositOrigin.TRANSFER_IN)), Decimal(0)),
        )
        .order_by("learner")
    )
    if sample:
        sums = sums[:sample]
    learners = Learner.objects.in_bulk([row["learner"] for row in sums])
    disagree = []
    for row in sums:
        balance = learner_balance(learners[row["learner"]])
        if (balance.total, balance.transferred_in) != (row["earned"], row["transferred_in"]):
            disagree.append((row["learner"], row["earned"], balance.total))
    return disagree


def voids_without_reason():
    return list(
        CreditDeposit.objects.filter(status="voided")
        .filter(Q(void_reason="") | Q(voided_at=None))
        .values_list("pk", flat=True)
    )


CHECKS = {
    "a source deposit applied twice to one target course": applied_twice,
    "transfer-in deposits without an approved decision": transfer_ins_without_decision,
    "approved transfer items with no transfer-in posted": approved_items_not_posted,
    "applied credits whose item is not approved": applications_without_approval,
    "voided deposits without a reason": voids_without_reason,
}


def ledger_checksum() -> str:
    """A fingerprint of every ledger row (deposits and applications), to compare a database with its restore."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT md5(coalesce(string_agg(concat_ws('|', id, learner_id, course_id, credits, grade, completed_on,
                       academic_year, term, learning_type, status, origin, void_reason), E'\\n' ORDER BY id), ''))
            FROM registry_creditdeposit
            """
        )
        deposits = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT md5(coalesce(string_agg(concat_ws('|', source_deposit_id, target_course_id, item_id), E'\\n'
                       ORDER BY id), '')) FROM transfers_appliedcredit
            """
        )
        applied = cursor.fetchone()[0]
    return hashlib.sha256(f"{deposits}:{applied}".encode()).hexdigest()
