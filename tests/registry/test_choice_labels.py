"""Choice labels on every list row (status, learning type, prefix, role) read as Django's own labels, in the
reader's language, starting with a capital as a label standing alone does; so do the options of every select."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

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
            assert shown == capfirst(str(label))


def test_the_label_follows_the_language_of_the_page_not_of_the_first_call():
    deposit = CreditDeposit(status=DepositStatus.VOIDED)
    with translation.override("en"):
        english = deposit.get_status_display()
    with translation.override("th"):
        thai = deposit.get_status_display()
    assert english == "Voided" and thai != english


def test_a_value_outside_the_choices_is_shown_as_stored():
    assert CreditDeposit(status="archived").get_status_display() == "archived"


@pytest.mark.django_db
def test_select_options_start_with_a_capital_on_english_pages(client, registrar):
    client.force_login(registrar)
    client.cookies["django_language"] = "en"
    form = client.get(reverse("registry:deposit_new")).content.decode()  # Django's select, through crispy
    assert ">Term 1</option>" in form and ">Formal</option>" in form and ">term 1<" not in form
    bar = client.get(reverse("registry:deposits")).content.decode()  # the filter bar's FlatSelect
    assert ">Voided</option>" in bar and ">voided<" not in bar


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_choice_field_of_ours_shows_its_label_with_a_capital(language):
    """Every model of the project's apps: a new choice field shown with Django's own get_FOO_display (lowercase on
    English pages) fails here until it gets registry.models.display_method."""
    from django.apps import apps

    ours = {"registry", "transfers", "transcripts", "creditbank"}
    checked = 0
    with translation.override(language):
        for model in apps.get_models():
            if model._meta.app_label not in ours or model.__name__.endswith("Event"):  # pghistory's copies
                continue
            for field in model._meta.fields:
                if not field.choices or field.name == "language":  # language names: "ไทย", "English"
                    continue
                for value, label in field.flatchoices:
                    shown = getattr(model(**{field.attname: value}), f"get_{field.name}_display")()
                    assert shown == capfirst(str(label)), (model.__name__, field.name, shown)
                    checked += 1
    assert checked > 60
