import django_filters
from django.db.models import Q
from django.forms import HiddenInput
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .dates import buddhist_era_year, this_year_example
from .digits import ascii_digits
from .form_helpers import FlatSelect
from .identifiers import clean_text
from .models import Course, CreditDeposit, DepositStatus, LearningType, Term
from .query import personal_id_attrs, refuse_personal_id, typed_number
from .selectors import name_matches


class DepositFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", validators=[refuse_personal_id])
    # "abc" is answered with the year to type, as the deposit form answers it (Django's own: "Enter a number.").
    academic_year = django_filters.NumberFilter(
        label=_("academic year (B.E.)"), error_messages={"invalid": lazy(this_year_example, str)()}
    )
    term = django_filters.ChoiceFilter(label=_("term"), choices=Term.choices, widget=FlatSelect)
    # The institution's courses as (id, "code title") pairs read once: a model choice field would build a Course for
    # each option, read them again to name the chosen one, and fetch the chosen one once more to check it.
    course = django_filters.ChoiceFilter(label=_("course"), choices=[], widget=FlatSelect)
    learning_type = django_filters.ChoiceFilter(
        label=_("learning type"), choices=LearningType.choices, widget=FlatSelect
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=DepositStatus.choices, widget=FlatSelect)
    # The deposits one import wrote: reached from the import's page, kept (hidden) while other filters change.
    credit_import = django_filters.NumberFilter(label=_("import"), field_name="credit_import", widget=HiddenInput)

    class Meta:
        model = CreditDeposit
        fields = ["academic_year", "term", "course", "learning_type", "status", "credit_import"]

    @property
    def refused(self) -> bool:
        """A filter the form refused (a national ID in the search box aside: forget_refused_id empties the box, and
        the rest applies)."""
        return any(
            any(error.code != "personal_id" for error in errors) for errors in self.form.errors.as_data().values()
        )

    def filter_queryset(self, queryset):
        """A refused filter lists nothing: every deposit, under a box that still showed what was typed, read as the
        filtered list (and its export as the filtered file)."""
        return queryset.none() if self.refused else super().filter_queryset(queryset)

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(institution=institution).order_by("code").only("code", "title_th", "title_en")
        self.filters["course"].extra["choices"] = [(course.pk, str(course)) for course in courses]
        # A link kept from another school's list, or a course since renamed away: said plainly, not Django's words.
        self.filters["course"].extra["error_messages"] = {
            "invalid_choice": _("That course is not in your catalogue; choose one from the list.")
        }
        self.filters["academic_year"].extra["validators"] = [buddhist_era_year]
        for name, field in self.form.fields.items():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.update({"class": css, "id": f"filter-{name}"})
        self.form.fields["q"].widget.input_type = "search"  # the widget's own type: an attrs "type" would be a second
        self.form.fields["q"].widget.attrs["placeholder"] = _("name, course code or title")
        self.form.fields["q"].widget.attrs.update(personal_id_attrs())

    def search(self, queryset, name, value):
        """Names (Thai, partial), course codes or titles, and a deposit's number; identifiers are searched on the
        learners page."""
        value = clean_text(value)
        if not value:
            return queryset
        name = name_matches(value, prefix="learner__")
        found = Q(course__code__icontains=ascii_digits(value)) | Q(course__title_th__icontains=value) | name
        if (number := typed_number(value)) is not None:  # a deposit's number, as messages give it ("void #1313")
            found = Q(pk=number) if value.startswith("#") else found | Q(pk=number)
        return queryset.filter(found)
