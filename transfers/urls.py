from django.urls import path

from .views import requests, rules

app_name = "transfers"

urlpatterns = [
    path("guide/", rules.guide, name="guide"),
    path("rules/", rules.rules, name="rules"),
    path("rules/new/", rules.rule_new, name="rule_new"),
    path("rules/courses/", rules.rule_courses, name="rule_courses"),
    path("rules/next/", rules.rule_next, name="rule_next"),
    path("rules/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/decide/", rules.rule_decide, name="rule_decide"),
    path("rules/<int:pk>/retire/", rules.rule_retire, name="rule_retire"),
    path("rules/<int:pk>/withdraw/", rules.rule_withdraw, name="rule_withdraw"),
    path("rules/<int:replaces>/revise/", rules.rule_new, name="rule_revise"),
    path("programmes/", rules.programmes, name="programmes"),
    path("programmes/new/", rules.programme_form, name="programme_new"),
    path("programmes/<int:pk>/edit/", rules.programme_form, name="programme_edit"),
    path("requests/", requests.requests_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/submit/", requests.request_submit, name="request_submit"),
    path("requests/<int:pk>/remove/", requests.request_remove_item, name="request_remove_item"),
    path("requests/<int:pk>/attach/", requests.request_attach, name="request_attach"),
    path("requests/<int:pk>/documents/<int:document_pk>/", requests.request_document, name="request_document"),
    path("requests/<int:pk>/documents/remove/", requests.request_remove_document, name="request_remove_document"),
    path("requests/<int:pk>/withdraw/", requests.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/review/", requests.request_review, name="request_review"),
    path("requests/<int:pk>/return/", requests.request_return, name="request_return"),
    path("requests/<int:pk>/decide/", requests.request_decide, name="request_decide"),
    path("requests/<int:pk>/assess/", requests.request_assess, name="request_assess"),
    path("queue/", requests.queue, name="queue"),
    path("queue/next/", requests.queue_next, name="queue_next"),
    path("queue/returned/", requests.returned, name="returned"),
    path("items/<int:pk>/assessment/", requests.assessment, name="assessment"),
]
