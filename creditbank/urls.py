from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter

from registry import views_accounts
from registry.forms import PasswordChangeForm
from transfers.views import rules

from . import mydata, totp, views, views_staff


class CatalogueCode:
    """A course or institution code in a public address: anything but a slash or a NUL (which no code holds and
    PostgreSQL cannot compare), at most 50 characters."""

    regex = "[^/\x00]{1,50}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CatalogueCode, "code")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    re_path(r"^me/data\.(?P<file_format>json|zip)$", mydata.my_data, name="my_data"),
    re_path(r"^me/data/(?P<kind>[a-z-]+)\.csv$", mydata.my_data_csv, name="my_data_csv"),
    path("me/credits/", views.my_credits, name="my_credits"),
    path("me/name/", views.my_name, name="my_name"),
    path("privacy/", views.privacy, name="privacy"),
    path("figures/", views_staff.transparency, name="transparency"),
    # The public pages an open credential's achievement and its creator name as their ids (transcripts.credentials).
    path("courses/<code:institution_code>/<code:code>", rules.course_public, name="course_public"),
    path("institutions/<code:code>", rules.institution_public, name="institution_public"),
    # The same, typed with the slash most of our addresses end with.
    path("courses/<code:institution_code>/<code:code>/", rules.course_public, name="course_public_slash"),
    path("institutions/<code:code>/", rules.institution_public, name="institution_public_slash"),
    path("office/dashboard/", views_staff.dashboard, name="dashboard"),
    re_path(r"^office/report\.(?P<file_format>csv|xlsx|pdf)$", views_staff.report, name="report"),
    path("accounts/activate/", views_accounts.activate, name="activate"),
    path("accounts/totp/setup/", totp.totp_setup, name="totp_setup"),
    path("accounts/totp/verify/", totp.totp_verify, name="totp_verify"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("registry/", include("registry.urls")),
    path("transfers/", include("transfers.urls")),
    path("", include("transcripts.urls")),
    path("accounts/password/slip/", views_accounts.password_by_slip, name="password_by_slip"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "creditbank.views.error_403"
handler404 = "creditbank.views.error_404"
handler500 = "creditbank.views.error_500"
