"""The trusted issuers (other credit banks) are kept here by the provincial office's administrators."""

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.admin import ReadOnly

from .models import CredentialImport, IssuedCredential, TrustedIssuer
from .verification import MAX_CREDENTIAL_BYTES, trusted_issuer_keys


class TrustedIssuerForm(forms.ModelForm):
    class Meta:
        model = TrustedIssuer
        fields = ["did", "name", "did_document", "status_lists", "active"]

    def clean(self):
        data = super().clean()
        document = data.get("did_document")
        if not isinstance(document, dict) or document.get("id") != data.get("did"):
            raise ValidationError({"did_document": _("Paste the issuer's did.json; its id must be the DID above.")})
        if len(json.dumps(document)) > MAX_CREDENTIAL_BYTES or len(json.dumps(data.get("status_lists"))) > 8_000_000:
            raise ValidationError(_("The DID document or the status lists are too large."))
        if not list(trusted_issuer_keys(TrustedIssuer(did=data["did"], did_document=document))):
            raise ValidationError({"did_document": _("The DID document holds no Ed25519 or P-256 public key.")})
        if not isinstance(data.get("status_lists"), list):
            raise ValidationError({"status_lists": _("Paste a list of status list credentials, [] for none.")})
        return data


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):
    form = TrustedIssuerForm
    list_display = ["name", "did", "active", "added_at"]
    search_fields = ["name", "did"]


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pk", "kind", "learner", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    raw_id_fields = ["learner", "deposit", "transcript", "revoked_by"]


@admin.register(CredentialImport)
class CredentialImportAdmin(IssuedCredentialAdmin):
    list_display = ["credential_id", "issuer", "learner", "transfer_request", "imported_at"]
    list_filter = ["issuer"]
    raw_id_fields = ["learner", "transfer_request", "imported_by"]
