"""Provincial staff manage institutions, their MOU status and their registrars' accounts."""

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .access import is_provincial_staff, role_required
from .dates import ThaiDateField
from .form_helpers import add_errors, helper
from .identifiers import catalogue_code
from .models import Institution, Role, User
from .selectors import PAGE_SIZE

staff_required = role_required(is_provincial_staff)


class InstitutionForm(forms.ModelForm):
    mou_signed_on = ThaiDateField(
        label=gettext_lazy("MOU signed on"), required=False, help_text=gettext_lazy("e.g. 14/05/2025")
    )

    class Meta:
        model = Institution
        fields = ["code", "name_th", "name_en", "kind", "district", "mou_member", "mou_signed_on"]

    def clean_code(self):
        """A code already taken names the institution that has it (Django said only that one exists), whatever its
        case or digits ("cc-pct" had been saved beside CC-PCT)."""
        code = catalogue_code(self.cleaned_data["code"])
        holder = Institution.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise ValidationError(
                _("%(name)s already has this code. Check the code on the institution's documents.")
                % {"name": holder.name}
            )
        return code

    def clean_mou_signed_on(self):
        signed = self.cleaned_data["mou_signed_on"]
        if signed and signed > timezone.localdate():
            raise ValidationError(_("The MOU signing date cannot be in the future."))
        return signed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if services.institution_code_locked(self.instance):
            self.fields["code"].disabled = True
            self.fields["code"].help_text = gettext_lazy(
                "Its courses, and credentials already issued, are known by this code: it cannot change."
            )
        self.helper = helper(gettext_lazy("Save the institution"))


class RegistrarForm(forms.Form):
    username = forms.RegexField(label=gettext_lazy("username"), regex=r"^[A-Za-z0-9_.@+-]{3,150}$", max_length=150)
    first_name = forms.CharField(label=gettext_lazy("first name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("last name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("email"), required=False)
    password = forms.CharField(
        label=gettext_lazy("First password"),
        widget=forms.PasswordInput,
        # What to do with it, then the rules it must meet, before the first try (as the learners' forms say them).
        help_text=format_lazy(
            "{} {}",
            gettext_lazy("Give it to the registrar in person; they change it at first log-in."),
            lazy(password_validation.password_validators_help_text_html, str)(),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(gettext_lazy("Create the registrar account"))

    def clean(self):
        """Every problem at once: a taken username and a weak password beside their fields with the form's own."""
        data = super().clean()
        names = {k: data.get(k) or "" for k in ("username", "first_name", "last_name", "email")}
        for field, problems in services.registrar_account_errors(User(**names), data.get("password") or "").items():
            if field not in self.errors:
                self.add_error(field, problems)
        return data


@staff_required
@require_GET
def institutions(request):
    qs = Institution.objects.annotate(
        registrars=Count("staff", filter=Q(staff__role=Role.REGISTRAR, staff__is_active=True))
    ).order_by("name_th")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/staff/institutions.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def institution_form(request, pk=None):
    institution = get_object_or_404(Institution, pk=pk) if pk else Institution()
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(actor=request.user, institution=form.instance, changed=form.changed_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The institution is saved."))
            return redirect("registry:institution_users", pk=form.instance.pk)
    return render(request, "registry/staff/institution_form.html", {"form": form, "institution": institution})


@staff_required
@require_http_methods(["GET", "POST"])
def institution_users(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    form = RegistrarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registrar_account_create(actor=request.user, institution=institution, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The registrar account is created."))
            return redirect("registry:institution_users", pk=pk)
    users = User.objects.filter(institution=institution).order_by("-is_active", "username")
    return render(
        request, "registry/staff/institution_users.html", {"institution": institution, "users": users, "form": form}
    )


@staff_required
@require_POST
def user_deactivate(request, pk):
    user = get_object_or_404(User, pk=pk, role=Role.REGISTRAR)
    services.user_deactivate(actor=request.user, user_id=user.pk)
    messages.success(
        request, _("%(user)s can no longer log in; their open sessions have ended.") % {"user": user.username}
    )
    return redirect("registry:institution_users", pk=user.institution_id)


@staff_required
@require_POST
def user_reactivate(request, pk):
    user = get_object_or_404(User, pk=pk, role=Role.REGISTRAR)
    services.user_reactivate(actor=request.user, user_id=user.pk)
    messages.success(request, _("%(user)s can log in again.") % {"user": user.username})
    return redirect("registry:institution_users", pk=user.institution_id)
