"""Settings modes, read in a fresh interpreter for each set of variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DTC_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-settings-test-0123456789",
    "DJANGO_ALLOWED_HOSTS": "dtc.example.org",
}
READ = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
    " 'db_name': s.DATABASES['default']['NAME'] and str(s.DATABASES['default']['NAME']),"
    " 'cache': s.CACHES['default']['BACKEND'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS,"
    " 'secure_cookies': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE,"
    " 'hsts': s.SECURE_HSTS_SECONDS, 'storage': s.STORAGES['staticfiles']['BACKEND']}))"
)


def run(code_or_args, **env_vars):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DTC_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(DJANGO_SETTINGS_MODULE="dtc.settings", **env_vars)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def read_settings(**env_vars):
    result = run(READ, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default_needs_no_variables():
    s = read_settings()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["db_name"].endswith("db.sqlite3")
    assert s["cache"].endswith("LocMemCache")
    assert s["eager"] is True
    assert s["debug"] is False


def test_debug_pages_are_an_explicit_opt_in():
    assert read_settings(DTC_DEBUG="1")["debug"] is True
    assert read_settings(DTC_DEBUG="1", **PRODUCTION)["debug"] is False


def test_database_url_switches_to_postgresql():
    s = read_settings(DATABASE_URL="postgres://dtc:secret@db:5432/dtc")
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["db_name"] == "dtc"


def test_redis_url_switches_the_broker_and_the_cache():
    s = read_settings(REDIS_URL="redis://redis:6379/0")
    assert s["cache"].endswith("RedisCache")
    assert s["broker"] == "redis://redis:6379/0"
    assert s["eager"] is False


def test_production_mode_hardens_the_service():
    s = read_settings(**PRODUCTION)
    assert s["debug"] is False
    assert s["hosts"] == ["dtc.example.org"]
    assert s["secure_cookies"] is True
    assert s["hsts"] >= 31536000
    assert s["storage"].startswith("whitenoise")


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run(READ, DTC_PRODUCTION="1")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_deploy_check_passes_in_production_mode():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("variables", [{}, PRODUCTION])
def test_no_deprecation_warnings_at_start_up(variables):
    result = run(
        [
            "-W",
            "error::DeprecationWarning",
            "-W",
            "error::PendingDeprecationWarning",
            "manage.py",
            "check",
        ],
        **variables,
    )
    assert result.returncode == 0, result.stderr
