"""Settings for the Phichit credit bank registry, read from the environment.

Development defaults apply when DEBUG is on (the default for a local run). With DEBUG off there is no default
secret key and the security settings are strict.
"""

import os
from pathlib import Path

import dj_database_url
import fontpkg_sarabun
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The public address printed on documents (transcripts' verification links, QR codes, credentials' identifiers):
# a transcript printed with the wrong one cannot be verified, so a production server does not start without it.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off: it is printed on every transcript.")
    SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "registry.apps.RegistryConfig",
    "transfers.apps.TransfersConfig",
    "transcripts.apps.TranscriptsConfig",
    "creditbank.apps.CreditbankConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, found through TEMPLATES by FORM_RENDERER below
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "django_filters",
    "js_lib_bootstrap5",
    "js_lib_htmx",
    "creditbank.apps.AxesConfig",  # axes, named in the page's language (creditbank/apps.py)
    "django_otp",
    "creditbank.apps.TOTPConfig",  # django_otp.plugins.otp_totp
    "django_tasks",
    "creditbank.apps.TasksConfig",  # django_tasks_db
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "creditbank.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Instead of Django's LocaleMiddleware: Thai unless the user chose English (never from Accept-Language).
    "creditbank.middleware.ChosenLanguageMiddleware",
    "creditbank.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "creditbank.middleware.RequireTOTPMiddleware",
    "creditbank.middleware.RequirePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# The audit trail's who and where (pghistory's middleware) for the requests that write. Page views (GET) write no
# tracked row, and the context would otherwise add a set_config() statement to every query they run.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The audit trail in the admin: who made each change (from the request's context) beside when and what, in Thai, with
# national ID numbers masked (creditbank/admin.py).
PGHISTORY_ADMIN_MODEL = "creditbank.AuditEvent"
PGHISTORY_ADMIN_CLASS = "creditbank.admin.AuditTrailAdmin"

ROOT_URLCONF = "creditbank.urls"
# Widgets render through the project's template engine, so a widget may use a template of ours (widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "creditbank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": [
                "registry.templatetags.thaidate",
                "registry.templatetags.numbers",
                "registry.templatetags.addresses",
                "registry.templatetags.grades",
                "registry.templatetags.languages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/creditbank"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The registry's queries are short: PostgreSQL's JIT compiler costs more than it saves on them.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The registry runs on PostgreSQL only: set DATABASE_URL to a postgresql:// URL.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins while a username/address pair is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's own: refuses an inactive account on every request, so deactivating a user signs them out at once.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun comes from its pip package, served under /static/fonts/sarabun/.
    ("fonts/sarabun", fontpkg_sarabun.ROOT / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: files go through views that check access

# Login throttling: 5 failures for a username from one address lock that pair for 30 minutes. Every attempt,
# failed or not, is logged (AccessAttempt, AccessFailureLog, AccessLog in the admin).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# The privacy notice (PDPA s.23) says how long sign-in records are kept, and whom to ask about personal data.
# `python manage.py purge_old_logs` (nightly) deletes the records older than this, and expired sessions.
SIGN_IN_LOG_DAYS = int(os.environ.get("SIGN_IN_LOG_DAYS", "365"))
# The office's contact for personal data (a unit, a telephone, an email), as the notice prints it; `check --deploy`
# warns while it is empty.
PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")

# Roles that must confirm each login with a TOTP app (e.g. "provincial_staff,administrator" in production).
REQUIRE_TOTP_FOR = env_list("REQUIRE_TOTP_FOR", "")
OTP_TOTP_ISSUER = "Phichit Credit Bank"

# Background work (batch transcripts): stored in PostgreSQL, run by `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.backend.DatabaseBackend")}}

# The issuer's signing material (transcripts/keys.py). A directory made by `python manage.py issuer_keys` holds the
# root and signing certificates (PDFs), the credential key (Ed25519 or P-256) and the retired public keys; each
# file may also be named on its own. Keys never live in the repository.
ISSUER_KEYS_DIR = Path(os.environ.get("ISSUER_KEYS_DIR", BASE_DIR / "var" / "issuer-keys"))
ISSUER_ROOT_CERT = os.environ.get("ISSUER_ROOT_CERT", "")
ISSUER_SIGNING_CERT = os.environ.get("ISSUER_SIGNING_CERT", "")
ISSUER_SIGNING_KEY = os.environ.get("ISSUER_SIGNING_KEY", "")
ISSUER_CREDENTIAL_KEY = os.environ.get("ISSUER_CREDENTIAL_KEY", "")
# With a timestamp authority the PDF signature is PAdES B-T, otherwise B-B.
ISSUER_TSA_URL = os.environ.get("ISSUER_TSA_URL", "")
# Printed in the signature block of learners' own copies (official copies name the registrar or officer who issued).
ISSUER_OFFICER_NAME = os.environ.get("ISSUER_OFFICER_NAME", "")
ISSUER_OFFICER_POSITION = os.environ.get("ISSUER_OFFICER_POSITION", "")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter left empty lists everything, and says so (django-filter wrote "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("All")


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions: shared by every application server through PostgreSQL.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CSRF_COOKIE_HTTPONLY = True
# A form sent with an expired key: our own page, in the reader's language, with the way back to it.
CSRF_FAILURE_VIEW = "creditbank.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_AGE = 60 * 60 * 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every attempt is in the database (AccessAttempt, AccessFailureLog, AccessLog); the console gets warnings only.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "creditbank@phichit.example")
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
)
