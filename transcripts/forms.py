from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.forms import helper
from registry.models import Course


class BatchForm(forms.Form):
    course = forms.ModelChoiceField(label=gettext_lazy("course"), queryset=None, required=False)
    academic_year = forms.IntegerField(
        label=gettext_lazy("academic year (B.E.)"), min_value=2400, max_value=2700, required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("language"), choices=[("th", "ไทย"), ("en", "English")])

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(institution=institution).order_by("code")
        self.helper = helper(gettext_lazy("Make the transcripts"))

    def clean(self):
        data = super().clean()
        if not data.get("course") and not data.get("academic_year"):
            raise ValidationError(_("Choose a course or an academic year (or both)."))
        return data
