"""Learners' accounts: the code a registrar issues on a slip, and the learner opening their account with it, or
setting a new password once it is open."""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import messages
from django.contrib.auth import login, password_validation
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import accounts
from .access import get_learner_for_user, is_registrar, role_required
from .dates import ThaiDateField
from .form_helpers import add_errors, helper, post_only
from .forms import BirthDateForm
from .identifiers import mask_identifier
from .services import user_language_set
from .views import learner_page

# A language picked while signed out (the header's switch, creditbank.views.set_language): the account takes it at
# sign-in, whichever page signs the person in (the login form, opening an account, a new password by slip).
CHOSEN_SIGNED_OUT = "language_chosen_signed_out"


def sign_in(request, user) -> None:
    """Sign the user in with Django's own backend; a language chosen on the way in becomes the account's."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if chosen := request.session.pop(CHOSEN_SIGNED_OUT, None):  # login() keeps the session's data, under a new key
        user_language_set(user=user, language=chosen)


class SlipForm(forms.Form):
    """What proves the slip is the learner's, and the password they choose."""

    national_id = forms.CharField(label=gettext_lazy("National ID"), max_length=20)
    birth_date = ThaiDateField(label=gettext_lazy("birth date"), help_text=gettext_lazy("e.g. 14/05/2008"))
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        help_text=gettext_lazy("From the slip your registrar gave you, e.g. K7P2-9XQ4"),
    )
    # The rules said before the first try, as on Django's own reset page; a phone offers to make and keep one.
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class ActivationForm(SlipForm):
    username = forms.RegexField(
        label=gettext_lazy("Choose a username"), max_length=150, regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        error_messages={"invalid": gettext_lazy("Use 3 or more English letters, digits or . _ - @ +")},
    )  # fmt: skip
    email = forms.EmailField(label=gettext_lazy("Email (for password reset)"), required=False)
    field_order = ["national_id", "birth_date", "code", "username", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = gettext_lazy("Activation code")
        self.helper = helper(gettext_lazy("Open my account"))


class SlipPasswordForm(SlipForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = gettext_lazy("Code on the slip")
        self.fields["password1"].label = gettext_lazy("New password")
        self.fields["password2"].label = gettext_lazy("New password again")
        self.helper = helper(gettext_lazy("Set my new password"))


@require_http_methods(["GET", "POST"])
def activate(request):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.learner_activate(
                national_id=data["national_id"], birth_date=data["birth_date"], code=data["code"],
                username=data["username"], password=data["password1"], email=data["email"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            sign_in(request, user)
            messages.success(request, _("Your account is open. Welcome to the credit bank."))
            return redirect("home")
    return render(request, "registration/activate.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_by_slip(request):
    """A new password with the code on a slip from the registrar, for a learner whose account is open: the way back
    in for those with no email for Django's reset. Signed in after, and told their username (often forgotten too)."""
    form = SlipPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.learner_set_password_by_code(
                national_id=data["national_id"], birth_date=data["birth_date"], code=data["code"],
                password=data["password1"],
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            axes_reset(username=user.get_username())  # a lockout from the forgotten password ends with it
            sign_in(request, user)
            messages.success(
                request,
                _("Your new password is set. Your username is %(username)s: keep it with your password.")
                % {"username": user.get_username()},
            )
            return redirect("home")
    return render(request, "registration/password_by_slip.html", {"form": form})


@role_required(is_registrar)
@post_only("registry:learner_detail")
def activation_issue(request, pk):
    learner = get_learner_for_user(request.user, pk)
    birth_form = BirthDateForm(request.POST) if learner.birth_date is None else None
    if birth_form is not None and not birth_form.is_valid():  # asked again beside its box, what was typed kept
        return learner_page(request, learner, own=True, birth_form=birth_form, status=400)
    try:
        code, plain = accounts.activation_code_issue(
            actor=request.user,
            learner=learner,
            birth_date=birth_form.cleaned_data["birth_date"] if birth_form else None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("registry:learner_detail", pk=learner.pk)
    context = {
        "learner": learner,
        "code": code,
        "plain": plain,
        "masked": mask_identifier(learner.national_id),
        "activate_url": request.build_absolute_uri(reverse("password_by_slip" if learner.user_id else "activate")),
    }
    return render(request, "registry/activation_slip.html", context)
