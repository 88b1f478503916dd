from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin import HistoryLinkMixin, ReadOnly

from .models import (
    Assessment,
    Equivalence,
    EquivalenceSource,
    EquivalenceTarget,
    Programme,
    TransferItem,
    TransferRequest,
)


class SourceInline(admin.TabularInline):
    model = EquivalenceSource
    raw_id_fields = ["course"]
    extra = 0


class TargetInline(admin.TabularInline):
    model = EquivalenceTarget
    raw_id_fields = ["course"]
    extra = 0


class WrittenByServices(ReadOnly):
    """Read here: rules, requests and assessments are written by the transfer pages' services, which check and audit
    every step. The admin neither adds, edits nor deletes them (a request withdrawn or decided stays on record)."""


@admin.register(Equivalence)
class EquivalenceAdmin(WrittenByServices, HistoryLinkMixin, admin.ModelAdmin):
    """Read here; rules are proposed and decided on the transfer pages, where every change is checked."""

    list_display = ["__str__", "status", "version", "effective_from", "effective_to", "proposed_at"]
    list_filter = ["status"]
    search_fields = ["source_courses__code", "target_courses__code", "basis"]
    inlines = [SourceInline, TargetInline]
    readonly_fields = ["replaces", "proposed_by", "decided_by", "decided_at"]


@admin.register(Programme)
class ProgrammeAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "institution", "level", "required_credits", "max_transfer_share", "active"]
    list_filter = ["level", "active", "institution"]
    list_select_related = ["institution"]
    search_fields = ["code", "name_th", "name_en"]
    filter_horizontal = ["courses"]


class ItemInline(admin.TabularInline):
    model = TransferItem
    fields = ["target_course", "verdict", "decision", "decision_reason", "posted_deposit"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(TransferRequest)
class TransferRequestAdmin(WrittenByServices, HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["number", "learner", "target_institution", "status", "created_at", "submitted_at"]
    list_filter = ["status", "target_institution"]
    list_select_related = ["learner", "target_institution"]
    search_fields = ["=learner__national_id", "learner__first_name", "learner__last_name"]
    raw_id_fields = ["learner", "created_by", "programme", "decided_by"]
    inlines = [ItemInline]

    @admin.display(description=_("Request"), ordering="pk")
    def number(self, obj):
        return f"#{obj.pk}"  # as the transfer pages write it; the column had been headed "Pk"


@admin.register(Assessment)
class AssessmentAdmin(WrittenByServices, HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["item", "method", "score", "max_score", "assessor", "assessed_on"]
    list_filter = ["method"]
    search_fields = ["assessor"]
