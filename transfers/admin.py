from django.contrib import admin

from registry.admin import HistoryLinkMixin

from .models import Equivalence, TransferRequest


@admin.register(Equivalence)
class EquivalenceAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["source_course", "target_course", "status", "effective_from", "effective_to"]
    list_filter = ["status"]
    list_select_related = ["source_course", "target_course"]
    search_fields = ["source_course__code", "target_course__code", "source_course__title_th"]
    raw_id_fields = ["source_course", "target_course", "proposed_by", "decided_by"]


@admin.register(TransferRequest)
class TransferRequestAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["pk", "learner", "target_institution", "status", "created_at", "submitted_at"]
    list_filter = ["status", "target_institution"]
    list_select_related = ["learner", "target_institution"]
    search_fields = ["=learner__national_id", "learner__first_name", "learner__last_name"]
    raw_id_fields = ["learner", "created_by"]
