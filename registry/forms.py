from crispy_forms.layout import HTML, Layout
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .dates import ThaiDateField, buddhist_era_year, current_academic_year, current_term, this_year_example
from .deposit_rules import academic_year_error, completed_on_error, credit_amount_error, grade_scale_message
from .form_helpers import dash_for_blank, helper
from .grades import SCALES
from .identifiers import (
    IdType,
    catalogue_code,
    clean_text,
    detect_id_type,
    identifier_problem,
    normalize_identifier,
    validate_identifier,
)
from .learner_rules import prefix_age_problem
from .message_codes import render
from .models import PREFIX_EN, Course, IdKind, Learner, LearningType, Term, User, birth_date_error, scale_for_level
from .selectors import courses_matching
from .services import LOCKED_WHEN_USED, course_in_use


class LearnerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("National ID or name"),
        max_length=100,
        help_text=_("A full identifier finds any registered learner; a name finds your institution's learners."),
    )

    def clean_q(self):
        """Words, or an identifier: 13 digits with a wrong check digit say so (as the deposit form does), rather
        than finding no one."""
        text = clean_text(self.cleaned_data["q"])
        value = normalize_identifier(text)
        if value.isdigit() and len(value) == 13 and (code := identifier_problem(value, IdType.CITIZEN)):
            raise ValidationError(render(code))
        return text


def english_name(value: str) -> None:
    """A name in English letters (accents, spaces, hyphens, apostrophes and full stops allowed), as on a passport: a
    Thai name typed into an English box would print as the 'English' name on every English page and transcript."""
    if value and not all(ch.isalpha() and ch.isascii() or ch in " -'.’" or "\u00c0" <= ch <= "\u024f" for ch in value):
        raise ValidationError(_("Use English letters, as on a passport (e.g. Somchai, Jaidee)."), code="not_english")


def as_written(name: str) -> str:
    """A name typed all in small letters ("malai kongsomboon") with capitals, as a passport and a transcript write
    it; one typed with any capital is kept as typed (McDonald, de Souza)."""
    return " ".join(word[:1].upper() + word[1:] for word in name.split(" ")) if name.islower() else name


class EnglishNameForm(forms.Form):
    """One's own name in English (a learner's, for English pages and transcripts; a registrar's or officer's, for the
    English official copies they sign): each knows how they spell it."""

    first_name_en = forms.CharField(label=_("first name (English)"), max_length=100, required=False,
                                    validators=[english_name])  # fmt: skip
    last_name_en = forms.CharField(label=_("last name (English)"), max_length=100, required=False,
                                   validators=[english_name])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, autocomplete in (("first_name_en", "given-name"), ("last_name_en", "family-name")):
            self.fields[name].widget.attrs.update(autocomplete=autocomplete, lang="en", spellcheck="false")
        if self.initial.get("first_name_en"):  # said only where there is a name to remove
            self.fields["first_name_en"].help_text = _("Leave both empty to remove the English name.")
        self.helper = helper(_("Save my name in English"))

    def clean(self):
        data = super().clean()
        first, last = (as_written(clean_text(data.get(name, ""))) for name in ("first_name_en", "last_name_en"))
        # A part typed but refused (Thai letters, say) still counts as typed: the other part's absence is said at once.
        typed = {name: bool(clean_text(self.data.get(name, ""))) for name in ("first_name_en", "last_name_en")}
        if typed["first_name_en"] and not typed["last_name_en"]:
            self.add_error("last_name_en", _("Type your last name in English too."))
        elif typed["last_name_en"] and not typed["first_name_en"]:
            self.add_error("first_name_en", _("Type your first name in English too."))
        elif not typed["first_name_en"] and not self.initial.get("first_name_en"):
            # Sent empty with no name in English to remove: it had said "your name in English is removed".
            self.add_error("first_name_en", _("Type your first name and family name in English, then save."))
        return {**data, "first_name_en": first, "last_name_en": last}


class LearnerForm(forms.ModelForm):
    birth_date = ThaiDateField(label=_("birth date"), required=False, help_text=_("e.g. 14/05/2008"))

    class Meta:
        model = Learner
        fields = [
            "id_type",
            "national_id",
            "prefix",
            "first_name",
            "last_name",
            "first_name_en",
            "last_name_en",
            "birth_date",
        ]
        help_texts = {"national_id": _("13 digits, dashes allowed; or a G-code; or a passport number")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_type"].initial = IdKind.CITIZEN
        dash_for_blank(self)
        if translation.get_language() == "en":  # the Thai prefix goes with the Thai name; English readers get both
            self.fields["prefix"].choices = [
                (value, f"{label} ({PREFIX_EN[value]})" if value else label)
                for value, label in self.fields["prefix"].choices
            ]
        for name in ("first_name_en", "last_name_en"):
            self.fields[name].validators.append(english_name)
        self.helper = helper(_("Register the learner"))

    def clean(self):
        data = super().clean()
        if data.get("national_id") and data.get("id_type"):
            try:
                data["national_id"] = validate_identifier(data["national_id"], data["id_type"])
            except ValidationError as exc:
                self.add_error("national_id", exc)
        for name in ["first_name", "last_name", "first_name_en", "last_name_en"]:
            if name in data:
                data[name] = clean_text(data[name])
        for name in ["first_name_en", "last_name_en"]:  # with capitals, as the learner's own form keeps them
            if data.get(name):
                data[name] = as_written(data[name])
        if problem := prefix_age_problem(data.get("prefix", ""), data.get("birth_date"), timezone.localdate()):
            self.add_error("prefix", render(*problem))
        return data

    def validate_unique(self):
        # The view tells the registrar about an existing learner with this identifier instead of an error.
        pass


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["code", "title_th", "title_en", "credits", "hours", "level", "subject_group", "learning_type"]
        help_texts = {"credits": _("From 0.5 to 99, in half-credit steps, e.g. 1.5")}

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.instance.institution = institution
        self.has_deposits = course_in_use(self.instance)
        dash_for_blank(self)
        if self.has_deposits:
            locked = _("Credits are already recorded for this course, so this cannot change; add a new course instead.")
            for name in LOCKED_WHEN_USED:
                self.fields[name].disabled = True
                self.fields[name].help_text = locked
        self.helper = helper(_("Save the course"))

    def clean_code(self):
        code = catalogue_code(self.cleaned_data["code"])
        clash = Course.objects.filter(institution=self.institution, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Your catalogue already has a course with this code."))
        return code

    def clean_credits(self):
        credits = self.cleaned_data["credits"]
        if credits is not None and (message := credit_amount_error(credits)):
            raise ValidationError(message)
        return credits

    def clean_title_th(self):
        return clean_text(self.cleaned_data["title_th"])


def grade_choices(scales=None):
    """The grades of `scales` (every scale if None): one scale as a plain list, several grouped by scale. The service
    checks the grade against the chosen course's own scale."""
    scales = list(SCALES.values()) if scales is None else scales
    if len(scales) == 1:
        return [("", "—")] + scales[0].choices()
    return [("", "—")] + [(scale.name, scale.choices()) for scale in scales]


class DepositForm(forms.Form):
    """A deposit for one learner: fixed when the registrar comes from the learner's page, else found by identifier."""

    national_id = forms.CharField(
        label=_("Learner's national ID"), max_length=20, help_text=_("The learner must be registered first.")
    )
    course_search = forms.CharField(
        label=_("Find a course"),
        required=False,
        max_length=100,
        help_text=_("Type part of the code or the title, then choose the course below."),
    )
    course = forms.ModelChoiceField(label=_("course"), queryset=Course.objects.none(), empty_label="—")
    grade = forms.ChoiceField(
        label=_("grade"), choices=grade_choices, error_messages={"required": _("Choose the grade the learner got.")}
    )
    completed_on = ThaiDateField(label=_("completed on"), help_text=_("C.E. or B.E., e.g. 15/03/2025"))
    # 2025 or 68 is answered with the B.E. year to type, as the deposit list's filter answers it (buddhist_era_year).
    academic_year = forms.IntegerField(
        label=_("academic year (B.E.)"), validators=[buddhist_era_year],
        error_messages={"invalid": lazy(this_year_example, str)()},
        # A text box: a number box sent nothing for "2568e" (answered "fill this in", the typing lost) and dropped
        # Thai digits, which Python reads (๒๕๖๘ is 2568).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    term = forms.TypedChoiceField(label=_("term"), choices=Term.choices, coerce=int)
    learning_type = forms.ChoiceField(
        label=_("learning type"),
        choices=[("", _("as the course"))] + LearningType.choices,
        required=False,
    )
    evidence = forms.FileField(
        label=_("evidence (optional)"), required=False, help_text=_("JPEG, PNG or PDF, at most 10 MB")
    )
    # The learner whose name the page showed for the typed ID (registry/_deposit_learner.html): credits are saved
    # only for a learner the registrar has seen named, never for whoever a mistyped ID happens to belong to.
    confirm_learner = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, institution, learner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.unconfirmed = False
        if learner is not None:
            del self.fields["national_id"]  # the page shows whose record it is; nothing to type again
        else:
            # The learner is named as soon as the ID is typed (POST: an ID never goes into an address).
            self.fields["national_id"].widget.attrs.update(
                {
                    "hx-post": reverse("registry:deposit_learner"),
                    "hx-trigger": "change",
                    "hx-target": "#deposit-learner-found",
                    "hx-swap": "outerHTML",
                    "hx-include": "[name=national_id]",
                    "aria-describedby": "deposit-learner-found",
                }
            )
        courses = Course.objects.filter(institution=institution).order_by("code")
        self.fields["course"].queryset = courses
        # Search-as-you-type: the server sends the catalogue's matching <option>s (registry:course_options). A
        # search box (the widget's own type, not a second "type" attribute) also fires "search" on Enter and clear.
        self.fields["course_search"].widget.input_type = "search"
        self.fields["course_search"].widget.attrs.update(
            {
                "autocomplete": "off",
                "data-search-only": "",  # Enter searches; it does not send the deposit (static/js/app.js)
                "hx-get": reverse("registry:course_options"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": "#id_course",
                "hx-swap": "innerHTML",
                "hx-include": "#id_course",
            }
        )
        # The grade list follows the chosen course's scale, and its credits and level are shown (one htmx swap).
        self.fields["course"].widget.attrs.update(
            {
                "hx-get": reverse("registry:grade_options"),
                "hx-target": "#id_grade",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-include": "#id_grade",
                "aria-describedby": "course-facts",
            }
        )
        chosen = self.data.get("course") if self.is_bound else self.initial.get("course")
        self.chosen_course = courses.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
        typed = clean_text(self.data.get("course_search", ""))[:100] if self.is_bound else ""
        if typed:  # back with an error: the list as the search kept in its box left it, and the course chosen
            chosen_pk = self.chosen_course.pk if self.chosen_course else None
            self.fields["course"].queryset = courses_matching(courses, typed) | courses.filter(pk=chosen_pk)
        if self.chosen_course is not None:
            scale = self.chosen_course.grade_scale
            self.fields["grade"].choices = grade_choices([scale])
            # Django puts the submitted value in for %(value)s.
            self.fields["grade"].error_messages["invalid_choice"] = grade_scale_message("%(value)s", scale)
        else:
            # Before a course is chosen: the scales of this institution's own courses only (a school's registrar
            # sees the school grades, not a university's A to F), so the list works without JavaScript too.
            used = {
                scale_for_level(level).key for level in courses.order_by().values_list("level", flat=True).distinct()
            }
            self.fields["grade"].choices = grade_choices([s for s in SCALES.values() if s.key in used] or None)
        self.fields["academic_year"].initial = current_academic_year()
        self.fields["term"].initial = current_term()
        self.helper = helper(_("Record the credits"))
        self.helper.form_tag = False
        first = ["course_search"]
        if learner is None:
            found = HTML(
                '{% include "registry/_deposit_learner.html" with found=form.learner unconfirmed=form.unconfirmed %}'
            )
            first = ["national_id", found, "course_search"]
        self.helper.layout = Layout(
            *first,
            "course",
            HTML('{% include "registry/_course_facts.html" with course=form.chosen_course %}'),
            "grade", "completed_on", "academic_year", "term", "learning_type", "evidence",
        )  # fmt: skip

    def clean(self):
        """The deposit rules the service keeps, checked here too so that every broken one shows at once."""
        data = super().clean()
        completed_on, year = data.get("completed_on"), data.get("academic_year")
        birth_date = self.learner.birth_date if self.learner is not None else None
        if completed_on and (message := completed_on_error(completed_on, birth_date=birth_date)):
            self.add_error("completed_on", message)
        if year and (message := academic_year_error(year, completed_on)):
            self.add_error("academic_year", message)
        if "national_id" in self.fields and self.learner is not None:
            self.unconfirmed = data.get("confirm_learner") != self.learner.pk
        return data

    def clean_national_id(self):
        self.learner = learner_by_identifier(self.cleaned_data["national_id"])
        return self.learner.national_id


def learner_by_identifier(text: str) -> Learner:
    """The registered learner a typed national ID or G-code names; a ValidationError that says what to do if none."""
    value = normalize_identifier(text)
    value = validate_identifier(value, detect_id_type(value))
    try:
        return Learner.objects.get(national_id=value)
    except Learner.DoesNotExist:
        raise ValidationError(
            _("No learner with this identifier is registered; register the learner first."), code="not_registered"
        ) from None


VOID_REASON_MIN = 5  # characters: a reason an auditor can read later, not "x"


class VoidForm(forms.Form):
    """Why a deposit is voided. A subclass says what else it voids by its three words (the field's label, the help
    beneath it, and what is asked when the box is left empty)."""

    label = _("Reason for voiding")
    help = _("The deposit stays in the history with this reason.")
    missing = _("Say why this deposit is being voided.")

    reason = forms.CharField(
        # minlength: app.js sends a reason too short without asking "void it?" first (the server refuses it anyway).
        widget=forms.Textarea(attrs={"rows": 2, "minlength": VOID_REASON_MIN}),
        max_length=1000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label, field.help_text, field.error_messages["required"] = self.label, self.help, self.missing

    def clean_reason(self):
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise ValidationError(self.missing)
        if len(reason) < VOID_REASON_MIN:
            raise ValidationError(
                _("Say why in a few words (at least %(n)s characters), e.g. “recorded for the wrong learner”.")
                % {"n": VOID_REASON_MIN}
            )
        return reason


class ImportVoidForm(VoidForm):
    """Why a whole imported file is undone: each of its deposits keeps this reason."""

    label = _("Why this import is undone")
    help = _("Each of its deposits stays in the history, voided, with this reason.")
    missing = _("Say why this import is being undone.")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("At most 10 MB; the header row first (a title above it is passed over)."),
    )
    create_courses = forms.BooleanField(
        label=_("Add courses that are not yet in the catalogue (the row must give course_title and credits)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "big-check"}),  # a target a finger finds (17 px had been)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Check the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB; split it into smaller files."))
        return upload


class NewPasswordRulesFirst:
    """Django's password forms put the password rules' errors under the confirmation box; these put them under the
    new password itself, where the rules are listed. A mismatch stays under the confirmation."""

    def validate_password_for_user(self, user, *args, **kwargs):
        super().validate_password_for_user(user, "new_password1")


class PasswordChangeForm(NewPasswordRulesFirst, auth_forms.PasswordChangeForm):
    def clean(self):
        data = super().clean()
        new = data.get("new_password1")
        if new and self.user.password_change_required and self.user.check_password(new):
            self.add_error("new_password1", _("Choose a password of your own, not the one you were given."))
        return data


class SetPasswordForm(NewPasswordRulesFirst, auth_forms.SetPasswordForm):
    pass


class LoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form, its refusal said plainly, with what to do (Django's own Thai put spaces around the
    field's name and said nothing of the way out)."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Check both (capital and small letters differ) and try again, "
            "or use 'Forgot your password?' below."
        ),
        "inactive": _("This account is suspended. Ask the provincial office to open it again."),
    }

    def get_invalid_login_error(self):
        """A suspended account given its right password is told it is suspended: Django's backend refuses it as if
        the password were wrong, and the way out offered, a password reset, sends nothing to a suspended account.
        Only whoever knows the password learns it; a wrong one is answered as any wrong one."""
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        suspended = User.objects.filter(username=username, is_active=False).first()
        if suspended is not None and suspended.check_password(password):
            return ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


class BirthDateForm(forms.Form):
    """The birth date a slip asks for, typed by the registrar when the registry holds none."""

    birth_date = ThaiDateField(
        label=_("birth date"),
        help_text=_("as on their ID card, e.g. 14/05/2008"),
        error_messages={"required": _("Type the learner's birth date from their ID card: the slip asks them for it.")},
    )

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if message := birth_date_error(born):
            raise ValidationError(message)
        return born
