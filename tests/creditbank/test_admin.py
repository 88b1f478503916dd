import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_registered_model_has_a_working_admin_list_with_search(client, administrator, deposit, other_deposit):
    client.force_login(administrator)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url, {"q": "ท"} if model_admin.search_fields else {})
        assert response.status_code == 200, url


def test_deposit_admin_is_read_only_and_links_to_its_audit_trail(client, administrator, deposit):
    client.force_login(administrator)
    url = reverse("admin:registry_creditdeposit_change", args=[deposit.pk])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html  # shown, never edited
    assert f"obj=registry.creditdeposit:{deposit.pk}" in html
    delete = client.post(reverse("admin:registry_creditdeposit_delete", args=[deposit.pk]), {"post": "yes"})
    assert delete.status_code == 403
    events = client.get(reverse("admin:pghistory_events_changelist"), {"obj": f"registry.creditdeposit:{deposit.pk}"})
    assert events.status_code == 200
    assert "insert" in events.content.decode()


def test_admin_labels_are_thai(client, administrator):
    client.force_login(administrator)
    html = client.get(reverse("admin:index")).content.decode()
    assert "รายการฝากหน่วยกิต" in html and "ระบบทะเบียนธนาคารหน่วยกิตจังหวัดพิจิตร" in html


def test_transfer_requests_rules_and_assessments_are_never_deleted_or_written_in_the_admin(client, administrator):
    """A learner's request waiting for a decision was deleted outright from the admin; rules and assessments are
    written by the transfer pages' services, which check and audit every step."""
    from tests.factories import TransferRequestFactory
    from transfers.models import TransferRequest

    waiting = TransferRequestFactory(status="submitted")
    client.force_login(administrator)
    delete = client.post(reverse("admin:transfers_transferrequest_delete", args=[waiting.pk]), {"post": "yes"})
    assert delete.status_code == 403 and TransferRequest.objects.filter(pk=waiting.pk).exists()
    for name in ("transferrequest", "equivalence", "assessment"):
        assert client.get(reverse(f"admin:transfers_{name}_add")).status_code == 403, name
    page = client.get(reverse("admin:transfers_transferrequest_changelist")).content.decode()
    assert 'value="delete_selected"' not in page
