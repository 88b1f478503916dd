from django.urls import path

from . import views

app_name = "transcripts"

# The addresses are those transcripts had before they became an app of their own: /verify/<code>/ is printed on
# every issued transcript and its QR code, and must never move.
urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("me/transcript/", views.my_transcript, name="mine"),
    path("registry/learners/<int:pk>/transcript/", views.official_transcript, name="official"),
    path("registry/transcripts/", views.transcript_list, name="list"),
    path("registry/transcripts/<int:pk>/revoke/", views.transcript_revoke, name="revoke"),
    path("registry/transcripts/batches/", views.batches, name="batches"),
    path("registry/transcripts/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("registry/transcripts/batches/<int:pk>/download/", views.batch_download, name="batch_download"),
]
