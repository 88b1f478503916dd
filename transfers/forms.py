import json
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.dates import ThaiDateField
from registry.form_helpers import FlatSelect, dash_for_blank, helper
from registry.identifiers import catalogue_code, clean_text
from registry.models import Course, Institution
from registry.query import forget_refused_id, personal_id_attrs, refuse_id_in_search, refuse_personal_id
from registry.uploads import check_evidence

from .models import AssessmentMethod, ItemDecision, Programme, RequestStatus, Verdict, effective_dates_error
from .reasons import approval_reason, reasons_for
from .selectors import course_finder, split_codes


def resolve_codes(institution, text, field, errors):
    codes = split_codes(text)
    if not codes:
        errors[field] = _("Type at least one course code.")
        return []
    courses = {c.code: c for c in Course.objects.filter(institution=institution, code__in=codes)}
    missing = [c for c in codes if c not in courses]
    if missing:
        errors[field] = _("Not in the catalogue of %(institution)s: %(codes)s") % {
            "institution": institution,
            "codes": ", ".join(missing),
        }
    return [courses[c] for c in codes if c in courses]


class RuleForm(forms.Form):
    source_institution = forms.ModelChoiceField(label=_("Sending institution"), queryset=Institution.objects.all())
    source_codes = forms.CharField(
        label=_("Source course codes"),
        error_messages={"required": _("Type at least one course code.")},
        help_text=_("One code, or several separated by commas for a cluster that counts together"),
    )
    target_institution = forms.ModelChoiceField(label=_("Receiving institution"), queryset=Institution.objects.all())
    target_codes = forms.CharField(
        label=_("Target course codes"),
        error_messages={"required": _("Type at least one course code.")},
        help_text=_("One code, or several when one course counts as several"),
    )
    min_grade_points = forms.DecimalField(
        label=_("minimum grade points"), initial=2, min_value=0, max_value=4, decimal_places=1
    )
    max_age_years = forms.IntegerField(
        label=_("completed within (years)"), required=False, min_value=1, max_value=50, help_text=_("Empty: no limit.")
    )
    same_level = forms.BooleanField(
        label=_("Same level of education required"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "big-check"}),  # a target a finger finds (17 px had been)
    )
    basis = forms.CharField(
        label=_("basis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Content overlap, learning outcomes matched."),
    )
    effective_from = ThaiDateField(label=_("effective from"))
    effective_to = ThaiDateField(label=_("effective to"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_registrar:
            self.fields["target_institution"].queryset = Institution.objects.filter(pk=user.institution_id)
            self.fields["target_institution"].initial = user.institution_id
        # Each side names the courses its codes stand for as they are typed, and searches the institution's
        # catalogue for the codes (transfers:rule_courses, one htmx swap into #<side>-found).
        for side in ("source", "target"):
            refresh = {
                "hx-get": reverse("transfers:rule_courses"),
                "hx-target": f"#{side}-found",
                "hx-swap": "outerHTML",
                "hx-include": f"[name={side}_institution],[name={side}_codes],[name={side}_find]",
                "hx-vals": json.dumps({"side": side}),
                "hx-trigger": "change",
            }
            self.fields[f"{side}_institution"].widget.attrs.update(refresh)
            self.fields[f"{side}_codes"].widget.attrs.update({**refresh, "autocomplete": "off"})
        dash_for_blank(self)
        self.helper = helper(_("Propose the rule"))
        finder = '{%% include "transfers/_rule_course_finder.html" with found=form.%s %%}'
        self.helper.layout = Layout(
            "source_institution", "source_codes", HTML(finder % "found_source"),
            "target_institution", "target_codes", HTML(finder % "found_target"),
            "min_grade_points", "max_age_years", "same_level", "basis", "effective_from", "effective_to",
        )  # fmt: skip

    def _found(self, side):
        names = ("institution", "codes")
        data = self.data if self.is_bound else {f"{side}_{n}": self[f"{side}_{n}"].value() for n in names}
        return course_finder(data, side)

    @cached_property
    def found_source(self):
        return self._found("source")

    @cached_property
    def found_target(self):
        return self._found("target")

    def clean(self):
        data = super().clean()
        errors = {}
        # A box left empty is said once, by its own required message (resolve_codes had said it a second time).
        if data.get("source_institution") and "source_codes" not in self.errors:
            data["sources"] = resolve_codes(
                data["source_institution"], data.get("source_codes"), "source_codes", errors
            )
        if data.get("target_institution") and "target_codes" not in self.errors:
            data["targets"] = resolve_codes(
                data["target_institution"], data.get("target_codes"), "target_codes", errors
            )
        # Said with the rest in one round (the service checks it too): it had come only once all else was right.
        if message := effective_dates_error(data.get("effective_from"), data.get("effective_to")):
            errors["effective_to"] = message
        # Said beside the choice at fault (the service's own check names the target courses, which come later).
        if data.get("source_institution") and data.get("source_institution") == data.get("target_institution"):
            errors["target_institution"] = _(
                "Choose a receiving institution other than the sending one: a rule transfers between two institutions."
            )
        if errors:
            raise ValidationError(errors)
        return data


class ReasonForm(forms.Form):
    """A reason, required; a subclass says what it is the reason for (its box's label and its message when empty)."""

    label = _("Reason")
    missing = _("Give the reason for this decision.")

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.label
        self.fields["reason"].error_messages["required"] = self.missing

    def clean_reason(self):
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise ValidationError(self.missing)
        return reason


class WithdrawForm(ReasonForm):
    """Why a proposer takes their proposal back."""

    label = _("Why you withdraw it")
    missing = _("Give the reason for withdrawing this proposal: its page and the audit trail keep it.")


class RetireForm(ReasonForm):
    """Why an approved rule is retired: no decision is being made (the box had asked for "the reason for this
    decision")."""

    label = _("Why it is retired")
    missing = _("Give the reason for retiring this rule: its page and the audit trail keep it.")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "code", "name_th", "name_en", "level", "required_credits", "courses", "max_transfer_share",
            "min_grade_points", "max_course_age_years", "active",
        ]  # fmt: skip
        widgets = {"courses": forms.CheckboxSelectMultiple}

    # What each number may be (the model's check constraints), said beside the field in the page's language, and
    # given to the browser as min and max; Django's own message for a failed constraint names the constraint.
    RANGES = {
        "required_credits": (
            Decimal("0.1"), None, _("Enter the credits the programme requires: a number above 0, e.g. 72."),
        ),
        "max_transfer_share": (
            Decimal("0.01"), Decimal("1"), _("Enter a share from 0.01 to 1: 0.75 for three quarters, 0.5 for half."),
        ),
        "min_grade_points": (Decimal("0"), Decimal("4"), _("Enter grade points from 0 to 4, e.g. 2.0.")),
    }  # fmt: skip

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.institution = institution
        self.fields["courses"].queryset = Course.objects.filter(institution=institution).order_by("code")
        for name, (low, high, message) in self.RANGES.items():
            field = self.fields[name]
            field.widget.attrs.update({"min": low, **({"max": high} if high is not None else {})})
            for code in ("invalid", "max_digits", "max_decimal_places", "max_whole_digits"):
                field.error_messages[code] = message
        dash_for_blank(self)
        self.helper = helper(_("Save the programme"))

    def clean(self):
        cleaned = super().clean()
        for name, (low, high, message) in self.RANGES.items():
            value = cleaned.get(name)
            if value is not None and (value < low or (high is not None and value > high)):
                self.add_error(name, message)
        return cleaned

    def clean_code(self):
        code = catalogue_code(self.cleaned_data["code"])
        clash = Programme.objects.filter(institution=self.instance.institution, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Your institution already has a programme with this code."))
        return code


class SendForm(forms.Form):
    """The filer's part of a request not yet sent: a document to attach, and (when the office sent the request back)
    the answer to what it asked. The service says whether an answer is needed."""

    reply = forms.CharField(
        label=_("Your answer to the provincial office"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("What you did about what it asked, or what the attached documents show."),
    )
    document = forms.FileField(
        label=_("Attach a document (optional)"),
        required=False,
        help_text=_(
            "A certificate, a page of a portfolio, or what the office asked for: JPEG, PNG or PDF, at most 10 MB."
        ),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return check_evidence(upload) if upload else None


SCORE_MAX = Decimal("9999.99")  # Assessment's score columns: 6 digits, 2 after the point


class AssessmentForm(forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=AssessmentMethod.choices)
    # Within what the columns hold (up to 9999.99): a larger number had been a server error, not a word beside it.
    score = forms.DecimalField(label=_("score"), min_value=0, max_value=SCORE_MAX, decimal_places=2)
    max_score = forms.DecimalField(
        label=_("out of"), min_value=0.01, max_value=SCORE_MAX, decimal_places=2, initial=100
    )
    pass_score = forms.DecimalField(
        label=_("pass mark"), min_value=0, max_value=SCORE_MAX, decimal_places=2, initial=60
    )
    assessor = forms.CharField(label=_("assessor"), max_length=200)
    assessed_on = ThaiDateField(label=_("assessed on"), help_text=_("C.E. or B.E., e.g. 15/03/2025"))
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(
        label=_("evidence (optional)"), required=False, help_text=_("JPEG, PNG or PDF, at most 10 MB")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        top = data.get("max_score")
        if top is not None:
            if data.get("score") is not None and data["score"] > top:
                self.add_error("score", _("The score cannot be above the maximum."))
            if data.get("pass_score") is not None and data["pass_score"] > top:
                self.add_error("pass_score", _("The pass mark cannot be above the maximum."))
        # Said with the rest (the service checks it again): it had come only on the next try, after the score's.
        if data.get("assessed_on") and data["assessed_on"] > timezone.localdate():
            self.add_error("assessed_on", _("The assessment date cannot be in the future."))
        return data


# "Waiting at least N days" in the queue's filter: the value in the address and the days it means.
QUEUE_AGES = [("3", 3), ("7", 7), ("14", 14), ("30", 30)]


class RequestSearchForm(forms.Form):
    """A list of requests found by number or learner's name, and by status. A value that is not one of the choices
    filters nothing, as an empty one does."""

    q = forms.CharField(
        label=_("Request number or learner's name"),
        required=False,
        max_length=100,
        validators=[refuse_personal_id],
        widget=forms.TextInput(attrs={"class": "form-control", "id": "id_q", "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("Any status")), *RequestStatus.choices],
        widget=FlatSelect(attrs={"class": "form-select", "id": "id_status"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(personal_id_attrs())

    def chosen(self) -> dict:
        """The filters that hold a valid value (words, status, and the subclass's), each None when not chosen.

        A value that is no choice's (typed into the address, an old bookmark) is dropped here, and so is its error:
        the bar shows that filter unset, and no select is marked invalid for something the page does not use. A
        national ID in the search box is dropped too, but its error stays beside the box: it says what to type."""
        self.is_valid()
        data = self.cleaned_data
        refused = [e for e in self.errors.as_data().get("q", []) if e.code == "personal_id"]
        self.errors.clear()
        if refused:
            self.add_error("q", refused)
            forget_refused_id(self)
        chosen = {name: data.get(name) or None for name in self.fields}
        if chosen["q"]:
            chosen["q"] = clean_text(chosen["q"]) or None
        return chosen


class QueueFilterForm(RequestSearchForm):
    """The queue's filters: status (either of the two waiting ones), receiving institution, and how long a request
    has waited.

    A request may go to any institution of the province, so every one is offered, read as (id, name) pairs from the
    institution table alone; an id that is no institution's simply matches no request."""

    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[
            ("", _("All waiting")),  # short enough for its box: labels never break inside a word
            (RequestStatus.SUBMITTED, RequestStatus.SUBMITTED.label),
            (RequestStatus.UNDER_REVIEW, RequestStatus.UNDER_REVIEW.label),
        ],
        widget=FlatSelect(attrs={"class": "form-select", "id": "id_status"}),
    )
    institution = forms.IntegerField(
        label=_("target institution"),
        required=False,
        min_value=1,
        widget=FlatSelect(attrs={"class": "form-select", "id": "id_institution"}),
    )
    age = forms.TypedChoiceField(
        label=_("Waiting"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=FlatSelect(attrs={"class": "form-select", "id": "id_age"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.order_by("name_th").only("name_th", "name_en")
        choices = [(institution.pk, institution.name) for institution in institutions]  # Thai: the database's order
        if translation.get_language() == "en":
            choices.sort(key=lambda choice: choice[1].casefold())
        self.fields["institution"].widget.choices = [("", _("Every receiving institution")), *choices]
        ages = [
            (value, ngettext("at least %(n)s day", "at least %(n)s days", days) % {"n": days})
            for value, days in QUEUE_AGES
        ]
        self.fields["age"].choices = [("", _("Any time")), *ages]  # checked against and shown: one list


class ProgrammeSearchForm(forms.Form):
    """Find a programme by part of its name, its code or its institution's name (GET: nothing here is secret). An
    empty search lists the first programmes: a learner who knows no name sees what there is."""

    q = forms.CharField(
        label=_("Find a programme"), max_length=100, strip=True, required=False, validators=[refuse_id_in_search]
    )

    def clean_q(self):
        return clean_text(self.cleaned_data["q"])


class DecisionSheet:
    """The answers on a request's decision page: approve or reject and a reason for each waiting item, and the
    approval of every item whose rule matched with one reason.

    Not a Django form: its fields depend on the items. It keeps every value as posted, so a refused decision comes
    back exactly as typed, and it places each error of the service beside the item (or the bulk approval) at fault.
    """

    # The names of what it reads from a form: each item's answers, and the bulk approval.
    FIELDS = re.compile(r"^(decision|reason_code|reason)_\d+$|^(approve_matched|matched_reason_code|matched_reason)$")

    @classmethod
    def answers_in(cls, data) -> dict[str, str]:
        """The sheet's answers out of a posted form (to be kept, and read again later as `data`)."""
        return {key: value[:2000] for key, value in data.items() if cls.FIELDS.match(key)}

    def __init__(self, items, data=None):
        self.items = [i for i in items if i.decision == ItemDecision.PENDING]
        self.data = data or {}
        self.errors: dict[str, list[str]] = {}
        self.reason_missing: set[str] = set()  # the error keys of items refused for want of a reason
        self.matched = [i for i in self.items if i.verdict == Verdict.MATCH]
        self.bulk = self.data.get("approve_matched") == "1"
        self.bulk_code = self.data.get("matched_reason_code", "rule" if not data else "")
        if self.bulk_code not in dict(reasons_for(Verdict.MATCH)):  # the matched items are approved under their rule
            self.bulk_code = ""
        self.bulk_text = self.data.get("matched_reason", "")

    def value(self, item, name):
        return self.data.get(f"{name}_{item.pk}", "")

    def shown_reason_code(self, item) -> str:
        """The standard reason the page shows picked: as posted; on a fresh page the one the item can most likely be
        approved under, as the bulk approval has (an item approved on its own had first been refused for want of
        one). A rejection reads no standard reason."""
        if self.data:
            return self.value(item, "reason_code")
        return {Verdict.MATCH: "rule", Verdict.ASSESSMENT: "assessment"}.get(item.verdict, "")

    def reason_code(self, item) -> str:
        """The standard reason picked for an item, if it can be true of it (reasons_for): one sent for the other kind
        of item (a page from before, or by hand) is not taken, as if none had been picked."""
        code = self.value(item, "reason_code")
        return code if code in dict(reasons_for(item.verdict)) else ""

    def follows_bulk(self, item) -> bool:
        """A matched item left without a choice of its own takes the bulk approval."""
        return self.bulk and item.verdict == Verdict.MATCH and self.value(item, "decision") not in ("approve", "reject")

    def decisions(self) -> dict[int, tuple[bool, str]]:
        result = {}
        bulk_reason = approval_reason(self.bulk_code, self.bulk_text)
        for item in self.items:
            choice = self.value(item, "decision")
            if self.follows_bulk(item):
                result[item.pk] = (True, bulk_reason)
            elif choice == "approve":
                result[item.pk] = (True, approval_reason(self.reason_code(item), self.value(item, "reason")))
            elif choice == "reject":
                result[item.pk] = (False, self.value(item, "reason"))
        return result

    def absorb(self, exc: ValidationError, key_of):
        """The service's refusal, placed: an item's errors beside it; a missing bulk reason once, at the bulk."""
        if not hasattr(exc, "error_dict"):
            self.errors["__all__"] = list(exc.messages)
            return
        followers = {key_of(i.pk) for i in self.items if self.follows_bulk(i)}
        # "As above" chosen while the approval above is not ticked: the item has no decision, and says where to give it.
        stranded = {key_of(i.pk) for i in self.items if not self.bulk and self.value(i, "decision") == "bulk"}
        bulk_reason_missing = not approval_reason(self.bulk_code, self.bulk_text)
        for key, errors in exc.message_dict.items():
            if key in followers and bulk_reason_missing:
                self.errors["bulk"] = [str(_("Pick a standard reason or type one for these approvals."))]
            elif key in stranded:
                self.errors[key] = [
                    str(_("Tick the approval of the matched items above, or choose Approve or Reject here."))
                ]
            else:
                self.errors.setdefault(key, []).extend(errors)
                if any(error.code == "reason" for error in exc.error_dict[key]):
                    self.reason_missing.add(key)
