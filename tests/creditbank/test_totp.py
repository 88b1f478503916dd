import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def required(settings):
    settings.REQUIRE_TOTP_FOR = ["provincial_staff", "administrator"]


def test_staff_who_must_use_totp_set_it_up_before_anything_else(client, provincial, required):
    client.force_login(provincial)
    response = client.get(reverse("transfers:queue"))
    assert response.status_code == 302 and response["Location"] == reverse("totp_setup")
    page = client.get(reverse("totp_setup")).content.decode()
    assert "data:image/svg+xml" in page  # the QR code for the app
    device = TOTPDevice.objects.get(user=provincial)
    assert not device.confirmed
    client.post(reverse("totp_setup"), {"token": current_code(device)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("transfers:queue")).status_code == 200


def test_each_new_login_must_type_the_current_code(client, provincial, required):
    device = TOTPDevice.objects.create(user=provincial, name="app", confirmed=True)
    client.force_login(provincial)
    assert client.get(reverse("dashboard"))["Location"] == reverse("totp_verify")
    client.post(reverse("totp_verify"), {"token": current_code(device)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_roles_not_listed_are_not_asked(client, registrar, required):
    client.force_login(registrar)
    assert client.get(reverse("registry:deposits")).status_code == 200


def test_without_the_setting_nobody_is_asked(client, provincial):
    client.force_login(provincial)
    assert client.get(reverse("transfers:queue")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(client, provincial, required):
    client.force_login(provincial)
    client.get(reverse("totp_setup"))
    device = TOTPDevice.objects.get(user=provincial)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    page = client.post(reverse("totp_setup"), {"token": wrong}).content.decode()
    assert "รหัสไม่ถูกต้อง" in page and not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("transfers:queue"))["Location"] == reverse("totp_setup")
