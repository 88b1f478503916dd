from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/decide/", views.rule_decide, name="rule_decide"),
    path("rules/<int:pk>/retire/", views.rule_retire, name="rule_retire"),
    path("rules/<int:replaces>/revise/", views.rule_new, name="rule_revise"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_form, name="programme_new"),
    path("programmes/<int:pk>/edit/", views.programme_form, name="programme_edit"),
    path("requests/", views.requests_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/submit/", views.request_submit, name="request_submit"),
    path("requests/<int:pk>/review/", views.request_review, name="request_review"),
    path("requests/<int:pk>/return/", views.request_return, name="request_return"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("queue/", views.queue, name="queue"),
    path("items/<int:pk>/assessment/", views.assessment, name="assessment"),
]
