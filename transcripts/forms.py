from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.dates import buddhist_era_year
from registry.form_helpers import helper
from registry.forms import learner_by_identifier
from registry.models import Course

from .models import TranscriptBatch
from .tasks import batch_learners


class BatchForm(forms.Form):
    course = forms.ModelChoiceField(label=gettext_lazy("course"), queryset=None, required=False)
    academic_year = forms.IntegerField(
        label=gettext_lazy("academic year (B.E.)"), required=False, validators=[buddhist_era_year]
    )
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=settings.LANGUAGES)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.fields["course"].queryset = Course.objects.filter(institution=institution).order_by("code")
        self.helper = helper(gettext_lazy("Make the transcripts"))

    def clean(self):
        data = super().clean()
        if not data.get("course") and not data.get("academic_year") and "academic_year" not in self.errors:
            raise ValidationError(_("Choose a course or an academic year (or both)."))
        if self.errors:
            return data
        chosen = TranscriptBatch(
            institution=self.institution, course=data.get("course"), academic_year=data.get("academic_year")
        )
        if not batch_learners(chosen).exists():  # it had made an empty batch, "done 0 / 0", its PDF a 404
            raise ValidationError(
                _("No learner has credits recorded here in this course and academic year: choose another.")
            )
        return data


class VerifyForm(forms.Form):
    """A verification code, or a file: the transcript PDF or a credential (.jwt or .json)."""

    # Long enough for the whole link printed under the QR code, pasted as it is (verify_code finds the code in it).
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=200, required=False)
    file = forms.FileField(
        label=gettext_lazy("or the file itself: a transcript PDF or a credential (.jwt, .json)"), required=False
    )

    def clean_file(self):
        from .verification import MAX_PDF_BYTES

        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_PDF_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB; choose the PDF or credential as it was issued.")
                % {"limit": MAX_PDF_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("file") and not self.errors:
            self.add_error("code", _("Type the code printed beside the QR code, or choose the file to check."))
        return data


class CredentialImportForm(forms.Form):
    """Another credit bank's credential, the learner it was issued to and the programme the credits are for."""

    file = forms.FileField(label=gettext_lazy("Credential file (.jwt or .json)"), required=False)
    credential = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1_500_000)
    national_id = forms.CharField(label=gettext_lazy("Learner's national ID"), max_length=20)
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme the credits are for"), queryset=None)

    def __init__(self, *args, achievements=(), courses=(), **kwargs):
        from transfers.models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(active=True).select_related("institution")
        self.achievements = list(achievements)
        for index, achievement in enumerate(self.achievements):
            self.fields[f"target_{index}"] = forms.ModelChoiceField(
                label=f"{achievement.code} {achievement.title}", queryset=courses, required=False,
                empty_label=gettext_lazy("do not ask for this one"),
            )  # fmt: skip

    def clean_file(self):
        from .verification import MAX_CREDENTIAL_BYTES

        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_CREDENTIAL_BYTES:
            raise ValidationError(
                _("The credential is larger than %(limit)s KB.") % {"limit": MAX_CREDENTIAL_BYTES // 1024}
            )
        return upload

    def clean_national_id(self):
        from registry.identifiers import normalize_identifier
        from registry.models import Learner

        learner = Learner.objects.filter(national_id=normalize_identifier(self.cleaned_data["national_id"])).first()
        if learner is None:
            raise ValidationError(_("No registered learner has this ID: register the learner first, then import."))
        self.learner = learner
        return self.cleaned_data["national_id"]

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("credential") and "file" not in self.errors:
            self.add_error("file", _("Choose the credential file the learner brought from the other credit bank."))
        return data

    def targets(self) -> dict[int, int]:
        return {
            index: self.cleaned_data[f"target_{index}"].pk
            for index in range(len(self.achievements))
            if self.cleaned_data.get(f"target_{index}")
        }


class OfficialLookupForm(forms.Form):
    """The provincial office's counter: the learner's ID as on their card, sent by POST (never in an address)."""

    national_id = forms.CharField(
        label=gettext_lazy("Learner's national ID"),
        max_length=20,
        help_text=gettext_lazy("The 13 digits on the learner's ID card, or their G-code or passport number."),
        error_messages={"required": gettext_lazy("Type the learner's ID number, as on their card.")},
    )

    def clean_national_id(self):
        try:
            self.learner = learner_by_identifier(self.cleaned_data["national_id"])
        except ValidationError as exc:
            if exc.code != "not_registered":
                raise
            raise ValidationError(
                _(
                    "No learner with this ID is in the credit bank. Check the number against the ID card: learners "
                    "are registered by the school or centre where they study."
                ),
                code="not_registered",
            ) from None
        return self.learner.national_id
