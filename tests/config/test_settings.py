"""Settings are parsed from the environment and bad values fail with a clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.environment import database_config, redis_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-grade-secret-key-of-fifty-or-more-chars-xyz-0123456789",
    "ALLOWED_HOSTS": "market.example.gov.cn",
    "DATABASE_URL": "postgres://u:p@db.internal:5432/gplatform",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def clean_environ() -> dict:
    """This process's environment without any of the settings' own variables."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_SETTINGS_MODULE"
    }


def run_django(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh interpreter with exactly these variables set."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_environ(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_value(env: dict, expression: str) -> str:
    """Evaluate `expression` against the settings a fresh process builds from env."""
    code = (
        "import django; django.setup(); from django.conf import settings;"
        f" print({expression})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_environ(), "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_sqlite_is_the_default_database():
    config = database_config("sqlite:////tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/x.sqlite3"


def test_postgres_url_gets_health_checked_persistent_connections():
    config = database_config("postgres://u:secret@db:5432/market")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db", 5432, "market")
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    "url",
    ["nonsense", "mysql://u@h/db", "postgres://", "postgres://host:notaport/db"],
)
def test_malformed_database_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_config(url)


@pytest.mark.parametrize(
    "url", ["localhost:6379", "http://redis:6379/0", "redis://:6379", "redis://h:x/0"]
)
def test_malformed_redis_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        redis_url(url)


def test_redis_url_is_accepted_and_blank_means_none():
    assert redis_url("redis://127.0.0.1:6379/1") == "redis://127.0.0.1:6379/1"
    assert redis_url("") == ""


def test_without_redis_tasks_run_in_process_and_cache_is_local_memory():
    env = {"DEBUG": "1"}
    assert settings_value(env, "settings.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert "LocMemCache" in settings_value(env, "settings.CACHES['default']['BACKEND']")
    assert settings_value(env, "settings.TIME_ZONE") == "Asia/Shanghai"


def test_with_redis_it_is_the_broker_results_and_cache():
    env = {"DEBUG": "1", "REDIS_URL": "redis://cache.internal:6379/2"}
    out = settings_value(
        env,
        "settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL,"
        " settings.CELERY_RESULT_BACKEND, settings.CACHES['default']['LOCATION']",
    )
    # The cache has the next database, so clearing it never drops queued tasks.
    assert out == (
        "False redis://cache.internal:6379/2 redis://cache.internal:6379/2"
        " redis://cache.internal:6379/3"
    )


def test_the_cache_database_can_be_named():
    env = {
        "DEBUG": "1",
        "REDIS_URL": "redis://cache.internal:6379",
        "REDIS_CACHE_URL": "redis://other.internal:6379/5",
    }
    out = settings_value(env, "settings.CACHES['default']['LOCATION']")
    assert out == "redis://other.internal:6379/5"
    no_db = {"DEBUG": "1", "REDIS_URL": "redis://cache.internal:6379"}
    assert settings_value(no_db, "settings.CACHES['default']['LOCATION']") == (
        "redis://cache.internal:6379/1"
    )


def test_task_limits_are_json_and_below_the_redis_visibility_timeout():
    out = settings_value(
        {"DEBUG": "1"},
        "settings.CELERY_TASK_SERIALIZER, settings.CELERY_TASK_SOFT_TIME_LIMIT"
        " < settings.CELERY_TASK_TIME_LIMIT"
        " < settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']",
    )
    assert out == "json True"


def test_secret_key_is_required_unless_debug():
    result = run_django({"DEBUG": "0", "SECRET_KEY": ""}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DATABASE_URL", "postgres//no-scheme"), ("REDIS_URL", "redis://host:port/0")],
)
def test_malformed_url_fails_at_start_up_with_one_line(variable, value):
    result = run_django({"DEBUG": "1", variable: value}, "check")
    assert result.returncode != 0
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_django(PRODUCTION, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_secure():
    out = settings_value(
        PRODUCTION,
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS > 0,"
        " settings.SECURE_REFERRER_POLICY",
    )
    assert out == "True True True True same-origin"


def test_stdlib_platform_is_not_shadowed_from_the_repo_root():
    result = subprocess.run(
        [sys.executable, "-c", "import platform, uuid; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.strip() == "Linux", result.stderr
    assert not (ROOT / "platform" / "__init__.py").exists()


@pytest.mark.parametrize(
    ("check", "url"),
    [
        (database_config, "postgres://app:S3cretPW@db:54x32/market"),
        (database_config, "mysql://app:S3cretPW@db/market"),
        (redis_url, "http://:S3cretPW@cache:6379/0"),
    ],
)
def test_error_messages_never_show_the_password(check, url):
    with pytest.raises(ImproperlyConfigured) as error:
        check(url)
    assert "S3cretPW" not in str(error.value)
    assert "***" in str(error.value)


def test_the_simulated_gateway_is_off_in_production_unless_given_its_own_secret():
    assert settings_value(PRODUCTION, "settings.PAYMENT_PROVIDERS") == "['on_delivery']"
    on = {**PRODUCTION, "PAYMENT_PROVIDERS": "simulated,on_delivery"}
    result = run_django(on, "check")
    assert result.returncode != 0
    assert "PAYMENT_GATEWAY_SECRET is required" in result.stderr
    secret = {**on, "PAYMENT_GATEWAY_SECRET": "a-separate-gateway-secret"}
    assert settings_value(secret, "settings.PAYMENT_GATEWAY_SECRET") == (
        "a-separate-gateway-secret"
    )


def test_migrate_on_sqlite_prints_no_covering_index_warning(tmp_path):
    """SQLite ignores the summary tables' INCLUDE columns (models.W040): nothing to
    act on in development, so a newcomer's migrate is quiet about it."""
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run_django(env, "migrate", "--noinput")
    assert result.returncode == 0, result.stderr
    assert "W040" not in result.stdout + result.stderr
    check = run_django(env, "check", "--database", "default", "--fail-level", "DEBUG")
    assert check.returncode == 0 and "no issues" in check.stdout, check.stdout


def test_postgresql_still_hears_of_covering_index_problems():
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://u:p@localhost:5432/db"}
    assert settings_value(env, "settings.SILENCED_SYSTEM_CHECKS") == "[]"
