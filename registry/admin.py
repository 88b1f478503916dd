from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import ThaiDateField
from .models import Course, CreditDeposit, Institution, Learner, User
from .services import LOCKED_WHEN_USED, course_in_use, institution_code_locked
from .templatetags.thaidate import format_date

admin.site.site_header = _("Phichit Provincial Credit Bank Registry")
admin.site.site_title = _("Credit Bank administration")
admin.site.index_title = _("Registry administration")


class HistoryLinkMixin:
    """Adds the read-only audit history (pghistory events) to the object's change page."""

    change_form_template = "admin/history_link_change_form.html"


class ReadOnly:
    """Shown here, never added, edited or deleted: records of what happened (the ledger's deposits, issued credentials,
    sign-in logs) and records the pages' services write, which check and audit every step."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ThaiDates:
    """Date boxes as on every page of ours: typed in B.E. or C.E., shown in B.E. on Thai pages. Django's own had shown
    C.E. and read 14/05/2551 as the year 2551 C.E. (a birth date 543 years ahead). No calendar button: it writes C.E.
    into a box that shows B.E."""

    formfield_overrides = {
        models.DateField: {"form_class": ThaiDateField, "widget": forms.TextInput(attrs={"class": "vTextField"})}
    }


def be_date_column(field: str, label):
    """A list column showing a date field as our pages do (B.E. on Thai pages), sortable by the field."""

    @admin.display(description=label, ordering=field)
    def column(_model_admin, obj):
        return format_date(getattr(obj, field), short=True)

    return column


@admin.register(Institution)
class InstitutionAdmin(ThaiDates, HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "kind", "district", "mou_member", "mou_signed"]
    mou_signed = be_date_column("mou_signed_on", _("MOU signed on"))
    list_filter = ["kind", "district", "mou_member"]
    search_fields = ["code", "name_th", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        """As on the office's page: the code of an institution with courses names them in issued credentials."""
        return ["code"] if obj is not None and institution_code_locked(obj) else []


@admin.register(User)
class UserAdmin(HistoryLinkMixin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "institution", "is_active"]
    list_filter = ["role", "is_active", "institution"]
    list_select_related = ["institution"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Role in the registry"), {"fields": ["role", "institution"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Role in the registry"), {"fields": ["role", "institution"]}),)


@admin.register(Learner)
class LearnerAdmin(ThaiDates, HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "masked_id", "id_type", "born"]
    born = be_date_column("birth_date", _("birth date"))
    list_filter = ["id_type", "prefix"]
    search_fields = ["=national_id", "first_name", "last_name", "first_name_en", "last_name_en"]
    raw_id_fields = ["user"]

    @admin.display(description=_("Name"), ordering="first_name")
    def name(self, obj):
        return obj.full_name  # the column had been headed FULL NAME on Thai pages

    @admin.display(description=_("identifier"))
    def masked_id(self, obj):
        return obj.masked_id


@admin.register(Course)
class CourseAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["code", "title_th", "institution", "credits", "level", "learning_type"]
    list_filter = ["level", "learning_type", "institution"]
    list_select_related = ["institution"]
    search_fields = ["code", "title_th", "title_en"]
    autocomplete_fields = ["institution"]

    def get_readonly_fields(self, request, obj=None):
        """As on the registrar's page: a course with deposits keeps its code, credits and level, and its institution
        (here they had been editable: a course moved to another school, its recorded credits changed with it)."""
        return [*LOCKED_WHEN_USED, "institution"] if obj is not None and course_in_use(obj) else []


@admin.register(CreditDeposit)
class CreditDepositAdmin(ReadOnly, HistoryLinkMixin, admin.ModelAdmin):
    """Deposits are shown, never edited or deleted here: corrections are voids through the registrar pages."""

    list_display = [
        "learner",
        "course",
        "credits",
        "grade",
        "academic_year",
        "term",
        "learning_type",
        "status",
    ]
    list_filter = ["status", "learning_type", "academic_year", "term", "course__institution"]
    list_select_related = ["learner", "course", "course__institution"]
    search_fields = ["=learner__national_id", "learner__first_name", "learner__last_name", "course__code"]
    date_hierarchy = "recorded_at"
    raw_id_fields = ["learner", "course", "recorded_by", "voided_by"]
