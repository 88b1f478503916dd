"""TOTP for the accounts that must use it: set up an authenticator app once, then type its code at each login."""

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.access import is_administrator, is_learner, is_provincial_staff, is_registrar, role_required


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"), regex=r"^\d{6}$", max_length=6,
        error_messages={"invalid": gettext_lazy("Type the 6 digits the app shows now.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


signed_in = role_required(is_provincial_staff, is_registrar, is_learner, is_administrator)


@signed_in
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect("totp_verify")
    device, _created = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "app"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("home")
        form.add_error("token", _("This code is not right. Check the phone's clock and type the current code."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(request, "registration/totp_setup.html", {"form": form, "qr": qr, "secret": device.key})


@signed_in
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices_for_user(request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect("home")
        form.add_error("token", _("This code is not right. Check the phone's clock and type the current code."))
    return render(request, "registration/totp_verify.html", {"form": form})
