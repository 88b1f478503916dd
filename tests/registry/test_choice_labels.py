"""Choice labels on every list row (status, learning type, prefix, role) read as Django's own labels, in the
reader's language."""

import pytest
from django.utils import translation

from registry.models import CreditDeposit, DepositStatus, Learner, LearningType, Prefix, Role, User
from transfers.models import RequestStatus, TransferRequest

CASES = [
    (CreditDeposit, "status", DepositStatus),
    (CreditDeposit, "learning_type", LearningType),
    (Learner, "prefix", Prefix),
    (User, "role", Role),
    (TransferRequest, "status", RequestStatus),
]


@pytest.mark.parametrize(("model", "field", "choices"), CASES)
@pytest.mark.parametrize("language", ["th", "en"])
def test_each_label_is_the_choices_label_in_the_readers_language(model, field, choices, language):
    with translation.override(language):
        for value, label in choices.choices:
            shown = getattr(model(**{field: value}), f"get_{field}_display")()
            assert shown == str(label)


def test_the_label_follows_the_language_of_the_page_not_of_the_first_call():
    deposit = CreditDeposit(status=DepositStatus.VOIDED)
    with translation.override("en"):
        english = deposit.get_status_display()
    with translation.override("th"):
        thai = deposit.get_status_display()
    assert english == "voided" and thai != english


def test_a_value_outside_the_choices_is_shown_as_stored():
    assert CreditDeposit(status="archived").get_status_display() == "archived"
