import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(**env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SITE_URL"}}
    full_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='creditbank.settings'; "
         "django.setup(); from django.conf import settings as s; "
         "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"],
        cwd=ROOT, env=full_env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_address_printed_on_transcripts():
    result = run_settings(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="creditbank.example")
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_settings_are_strict():
    result = run_settings(
        DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="creditbank.example", SITE_URL="https://creditbank.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True"]


def test_only_postgresql_is_accepted():
    result = run_settings(DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0 and "PostgreSQL only" in result.stderr


def test_production_settings_pass_the_deploy_check_with_no_warning():
    import secrets

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="creditbank.phichit.example",
        SITE_URL="https://creditbank.phichit.example", PRIVACY_CONTACT="creditbank@phichit.example",
    )  # fmt: skip
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_asks_for_the_privacy_contact(settings):
    from django.core.checks import run_checks

    settings.PRIVACY_CONTACT = ""
    assert "creditbank.W001" in {m.id for m in run_checks(include_deployment_checks=True)}
    settings.PRIVACY_CONTACT = "กลุ่มส่งเสริมการศึกษา โทร. 0 5601 2345"
    assert "creditbank.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
