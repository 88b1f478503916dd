from django.urls import path, re_path

from . import credential_views, views

app_name = "transcripts"

# The addresses are those transcripts had before they became an app of their own: /verify/<code>/ is printed on
# every issued transcript and its QR code, and must never move.
urlpatterns = [
    path("verify/", credential_views.verify_start, name="verify_start"),
    path("verify/issuer.pem", credential_views.issuer_pem, name="issuer_pem"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path(".well-known/did.json", credential_views.did_json, name="did"),
    path("credentials/status/<int:number>", credential_views.status_list, name="status_list"),
    path("me/credentials/", credential_views.my_credentials, name="my_credentials"),
    re_path(r"^me/credentials/clr\.(?P<file_format>jwt|json)$", credential_views.my_clr, name="my_clr"),
    re_path(
        r"^me/credentials/deposits/(?P<pk>[0-9]+)\.(?P<file_format>jwt|json)$",
        credential_views.my_deposit_credential,
        name="my_deposit_credential",
    ),
    path("registry/credentials/import/", credential_views.credential_import_view, name="credential_import"),
    path("me/transcript/", views.my_transcript, name="mine"),
    path("registry/learners/<int:pk>/transcript/", views.official_transcript, name="official"),
    path("registry/transcripts/official/", views.official_lookup, name="official_lookup"),
    path("registry/learners/<int:pk>/transcripts/", views.copies, name="copies"),
    path("registry/transcripts/", views.transcript_list, name="list"),
    path("registry/transcripts/<int:pk>/revoke/", views.transcript_revoke, name="revoke"),
    path("registry/transcripts/batches/", views.batches, name="batches"),
    path("registry/transcripts/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("registry/transcripts/batches/<int:pk>/download/", views.batch_download, name="batch_download"),
]
