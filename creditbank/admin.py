"""The audit trail in the admin (pghistory's events across every tracked model), in the words of our pages: when (B.E.
on Thai pages), who, what, and which fields changed from what to what. National ID numbers are masked, in the changes
as in every copy of a record: whoever reads the trail sees that a number changed, and opens the learner for the number
itself. Settings: PGHISTORY_ADMIN_MODEL (creditbank.AuditEvent) and PGHISTORY_ADMIN_CLASS (pghistory registers it)."""

import json
import re

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin  # registers axes' admin first, to be replaced below
from axes.models import AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin
from pghistory.admin.core import (
    BackFilter,
    EventModelFilter,
    EventsChangeList,
    LabelFilter,
    MethodFilter,
    ModelFilter,
    ObjFilter,
)

from registry.admin import ReadOnly
from registry.identifiers import mask_identifier
from registry.models import User
from registry.templatetags.thaidate import be_datetime, format_date
from transfers.reasons import reason_text

ACTIONS = {"insert": _("added"), "update": _("changed"), "delete": _("deleted")}
# What each service did, in words, under the name of whoever did it (the events keep the service's name in their
# context; the trail had shown it as code: deposit_void, transfer_request_decide). A new service without words here
# fails tests/creditbank/test_admin.py.
SERVICES = {
    "activation_code_issue": _("issued an activation slip"),
    "assessment_record": _("recorded an assessment"),
    "course_save": _("saved a course"),
    "credential_import": _("imported a credential"),
    "credential_issue_achievement": _("issued a credential for an achievement"),
    "credential_revoke": _("revoked a credential"),
    "credentials_issue": _("issued credentials"),
    "credit_import_analyse": _("checked an import file"),
    "credit_import_commit": _("imported credits from a file"),
    "credit_import_discard": _("discarded an import file"),
    "credit_import_void": _("undid an import, voiding its deposits"),
    "deposit_record": _("recorded credits"),
    "deposit_void": _("voided a deposit"),
    "equivalence_decide": _("decided a rule"),
    "equivalence_propose": _("proposed a rule"),
    "equivalence_retire": _("retired a rule"),
    "equivalence_withdraw": _("withdrew a proposed rule"),
    "institution_save": _("saved an institution"),
    "learner_activate": _("opened a learner's account"),
    "learner_register": _("registered a learner"),
    "learner_set_english_name": _("set a learner's name in English"),
    "learner_set_password_by_code": _("set a password with an activation slip"),
    "programme_save": _("saved a programme"),
    "registrar_account_create": _("created a registrar's account"),
    "seed_demo": _("loaded the demo data"),
    "transcript_issue": _("issued a transcript"),
    "transcript_revoke": _("revoked a transcript"),
    "transfer_request_add": _("added courses to a transfer request"),
    "transfer_request_attach": _("attached a document to a transfer request"),
    "transfer_request_create": _("created a transfer request"),
    "transfer_request_decide": _("decided a transfer request"),
    "transfer_request_from_achievements": _("created a transfer request from credentials"),
    "transfer_request_remove_document": _("removed a document from a transfer request"),
    "transfer_request_remove_item": _("took a course out of a transfer request"),
    "transfer_request_return": _("sent a transfer request back"),
    "transfer_request_start_review": _("started reviewing a transfer request"),
    "transfer_request_submit": _("sent a transfer request"),
    "transfer_request_withdraw": _("withdrew a transfer request"),
    "user_deactivate": _("closed an account"),
    "user_language_set": _("chose the page language"),
    "user_reactivate": _("reopened an account"),
    "user_set_english_name": _("set their name in English"),
}
NATIONAL_ID = re.compile(r"(?<!\d)\d{13}(?!\d)")


def masked(value, key: str | None = None):
    """`value` (from an event's JSON) with every national ID number in it masked: the learner's own field, whatever
    its kind of identifier, and any 13-digit number elsewhere (an import's report quotes the rows it read)."""
    if isinstance(value, dict):
        return {k: masked(v, k) for k, v in value.items()}
    if isinstance(value, list):  # a change is [before, after]
        return [masked(v, key) for v in value]
    if isinstance(value, str):
        if key == "national_id" and value:
            return mask_identifier(value)
        return NATIONAL_ID.sub(lambda m: mask_identifier(m.group()), value)
    return value


def _shown(value, model_field=None, users=None) -> str:
    """A value as the pages show it: a choice by its label, a person by their name, a time or a date in the page's
    era, a standard reason in words, another record by its number; anything else as the event kept it."""
    if value in (None, "", {}, []):
        return "—"
    if isinstance(value, bool):  # it had read "true" and "false"
        return str(_("Yes") if value else _("No"))
    if model_field is not None:
        if model_field.choices and not isinstance(value, (dict, list)):
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.is_relation and model_field.related_model is User and (users or {}).get(value):
            return users[value].display_name
        if model_field.is_relation and isinstance(value, int):
            return f"#{value}"
        if model_field.name == "decision_reason" and isinstance(value, str):
            return reason_text(value)  # "standard:rule" as the learner reads it
        if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
            return be_datetime(value)
        if isinstance(model_field, models.DateField) and isinstance(value, str):
            return format_date(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class AuditChangeList(EventsChangeList):
    def get_results(self, request):
        """Who made each change on the page, read in one query (the events keep the user's id in their context)."""
        super().get_results(request)
        _read_users(self.result_list)


def _read_users(events) -> None:
    """Everyone a page of events names, read at once: who made each change (its context) and the people its record
    points to (recorded by, decided by, ...), so that names, not numbers, are shown."""
    ids = {(event.pgh_context or {}).get("user") for event in events}
    for event in events:
        keys = {f.attname for f in _user_fields(event)}
        ids |= {v for k, v in (event.pgh_data or {}).items() if k in keys}
        ids |= {v for k, pair in (event.pgh_diff or {}).items() if k in keys for v in pair}
    ids = {i for i in ids if isinstance(i, int)}
    users = User.objects.only("username", "first_name", "last_name", "first_name_en", "last_name_en").in_bulk(ids)
    for event in events:
        event.by = users.get((event.pgh_context or {}).get("user"))
        event.users = users


def _user_fields(event):
    model = event.tracked_model
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User] if model else []


# pghistory's filters, titled and offered in the page's language (it names them "label", "event model", "method" and
# lists its own codes: insert, registry.LearnerEvent, tracks).


class ActionFilter(LabelFilter):
    title = _("what was done")

    def lookups(self, request, model_admin):
        return [(label, ACTIONS.get(label, label)) for label, _label in super().lookups(request, model_admin)]


class KindFilter(EventModelFilter):
    title = _("kind of record")

    def lookups(self, request, model_admin):
        """Each kind by the name of the records it tracks (learner, credit deposit), not its event model's label."""
        kinds = [
            (label, str(apps.get_model(label).pgh_tracked_model._meta.verbose_name).capitalize())
            for label, _label in super().lookups(request, model_admin)
        ]
        return sorted(kinds, key=lambda kind: kind[1])

    def queryset(self, request, queryset):
        """A kind typed into the address that is none of the list's is no filter (pghistory's answer was a 500)."""
        if self.value() and self.value() not in dict(self.lookup_choices):
            return queryset
        return super().queryset(request, queryset)


class WhoseFilter(MethodFilter):
    title = _("changes")

    def lookups(self, request, model_admin):
        return [("tracks", _("to this record")), ("references", _("to records that point to it"))]


class RecordFilter(ObjFilter):
    title = _("record")

    def lookups(self, request, model_admin):
        """The record the trail was opened for, named by the heading above: not as its code (registry.learner:1)."""
        return [(value, _("the record above")) for value, _code in super().lookups(request, model_admin)]


class RecordsFilter(ModelFilter):
    title = _("kind of record")


class AuditTrailAdmin(EventsAdmin):
    readonly_fields = fields = ["when", "who", "what", "action", "changes", "data"]
    # No "Show counts": pghistory's change list cannot count its filters' choices (its link was a server error).
    show_facets = admin.ShowFacets.NEVER

    def get_list_filter(self, request):
        filters = [ActionFilter, KindFilter]
        if "obj" in request.GET:
            filters.extend([WhoseFilter, RecordFilter, BackFilter])
        elif "model" in request.GET:
            filters.extend([RecordsFilter, BackFilter])
        return filters

    def changelist_view(self, request, extra_context=None):
        if "obj" in request.GET and not _record_exists(request.GET["obj"]):
            raise Http404(_("No such record."))  # "registry.learner:abc" typed into the address had been a 500
        response = super().changelist_view(request, extra_context)
        if hasattr(response, "context_data"):  # pghistory titles it with the model's English name
            response.context_data["title"] = _("Audit trail")
            # ... and heads one record's trail "Tracks <record>": the record alone, the filter says which changes.
            method = request.GET.get("method", "")
            subtitle = response.context_data.get("subtitle")
            if subtitle and method:
                response.context_data["subtitle"] = subtitle.removeprefix(f"{method.title()} ")
            elif subtitle and (model := _model(request.GET.get("model", ""))):  # not "registry.Learner"
                response.context_data["subtitle"] = str(model._meta.verbose_name_plural).capitalize()
        return response

    def get_changelist(self, request, **kwargs):
        return AuditChangeList

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            _read_users([event])
        return event

    def get_list_display(self, request):
        return ["when", "who", "what", "action", "changes"]

    @admin.display(description=_("When"), ordering="pgh_created_at")
    def when(self, event):
        return be_datetime(event.pgh_created_at)

    @admin.display(description=_("By"))
    def who(self, event):
        context = event.pgh_context or {}
        name = event.by.display_name if event.by else _("the system (not through a page)")
        service = context.get("service")
        if not service:
            return name
        return format_html('{}<br><small title="{}">{}</small>', name, service, SERVICES.get(service, service))

    @admin.display(description=_("Record"))
    def what(self, event):
        return str(event)

    @admin.display(description=_("What was done"))
    def action(self, event):
        return ACTIONS.get(event.pgh_label, event.pgh_label)

    @admin.display(description=_("What changed"))
    def changes(self, event):
        field = _fields(event)
        rows = [(*field(name, old), field(name, new)[1]) for name, (old, new) in masked(event.pgh_diff or {}).items()]
        return format_html_join("", "<div>{}: {} → {}</div>", rows) if rows else "—"

    @admin.display(description=_("The record as it was saved"))
    def data(self, event):
        field = _fields(event)
        return format_html_join(
            "", "<div>{}: {}</div>", (field(*item) for item in masked(event.pgh_data or {}).items())
        )


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _record_exists(model_pk: str) -> bool:
    """Whether "app.model:pk", as a record's trail is addressed, names a record there is."""
    label, _sep, pk = model_pk.partition(":")
    if (model := _model(label)) is None:
        return False
    try:
        return model._default_manager.filter(pk=model._meta.pk.to_python(pk)).exists()
    except ValidationError:  # a key of the wrong kind ("abc")
        return False


def _fields(event):
    """(label, value as shown) for a key of the event's record, by the tracked model's fields; a field since removed
    keeps the name the event recorded. A foreign key's key is its column (course_id)."""
    model = event.tracked_model
    by_key = {}
    for model_field in model._meta.concrete_fields if model else ():
        by_key[model_field.name] = by_key[model_field.attname] = model_field

    users = getattr(event, "users", {})

    def field(key, value):
        model_field = by_key.get(key)
        return (str(model_field.verbose_name) if model_field else key), _shown(value, model_field, users)

    return field


# Sign-in logs are records of what happened: shown, never edited or deleted (axes' own admin offered Save and Delete on
# them). Locked-out attempts keep axes' admin: deleting one is how an administrator unlocks an account.
for _log_model, _log_admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(_log_model):
        admin.site.unregister(_log_model)
    admin.site.register(_log_model, type(_log_admin.__name__, (ReadOnly, _log_admin), {}))
