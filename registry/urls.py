from django.urls import path, register_converter

from . import views, views_accounts, views_staff

app_name = "registry"


class SpreadsheetFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "sheet")

urlpatterns = [
    path("learners/", views.learners, name="learners"),
    path("learners/new/", views.learner_new, name="learner_new"),
    path("learners/<int:pk>/", views.learner_detail, name="learner_detail"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_form, name="course_new"),
    path("courses/<int:pk>/edit/", views.course_form, name="course_edit"),
    path("deposits/", views.deposits, name="deposits"),
    path("deposits/export.<sheet:file_format>", views.deposits_export, name="deposits_export"),
    path("deposits/new/", views.deposit_new, name="deposit_new"),
    path("deposits/grade-options/", views.grade_options, name="grade_options"),
    path("deposits/learner/", views.deposit_learner, name="deposit_learner"),
    path("deposits/course-options/", views.course_options, name="course_options"),
    path("deposits/<int:pk>/", views.deposit_detail, name="deposit_detail"),
    path("deposits/<int:pk>/void/", views.deposit_void, name="deposit_void"),
    path("deposits/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("learners/<int:pk>/activation/", views_accounts.activation_issue, name="activation_issue"),
    path("institutions/", views_staff.institutions, name="institutions"),
    path("institutions/new/", views_staff.institution_form, name="institution_new"),
    path("institutions/<int:pk>/edit/", views_staff.institution_form, name="institution_edit"),
    path("institutions/<int:pk>/users/", views_staff.institution_users, name="institution_users"),
    path("users/<int:pk>/deactivate/", views_staff.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views_staff.user_reactivate, name="user_reactivate"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("imports/<int:pk>/void/", views.import_void, name="import_void"),
    path("imports/<int:pk>/rejected/", views.import_rejected, name="import_rejected"),
    path("imports/template.<sheet:file_format>", views.import_template, name="import_template"),
]
