"""Shared fixtures, and the rule for tests that need real services or a browser:
they run when the service is there, skip (and say so) on a newcomer's machine, and
fail in CI, where REQUIRE_SERVICES=1."""

import json
import os
import shutil

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HINT = {
    "services": "start them with `make services` and export its URLs",
    "browser": "apt-get install chromium",
    "gettext": "apt-get install gettext",
    "nginx": "apt-get install nginx",
}


def _services_missing() -> str | None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point at PostgreSQL"
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer ({exc})"
    return None


def _browser_missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}"
    return None


def _gettext_missing() -> str | None:
    return None if shutil.which("xgettext") else "GNU gettext (xgettext) is missing"


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_missing() -> str | None:
    if os.access(NGINX, os.X_OK):
        return None
    return "nginx (the production proxy) is missing"


CHECKS = {
    "services": _services_missing,
    "browser": _browser_missing,
    "gettext": _gettext_missing,
    "nginx": _nginx_missing,
}
_skipped: dict[str, int] = {}


def pytest_runtest_setup(item):
    for marker, check in CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        _skipped[marker] = _skipped.get(marker, 0) + 1
        pytest.skip(f"{reason}: {HINT[marker]}")


def pytest_terminal_summary(terminalreporter):
    for marker, count in sorted(_skipped.items()):
        terminalreporter.write_line(
            f"NOTE: {count} '{marker}' test(s) skipped: {HINT[marker]} "
            "(CI sets REQUIRE_SERVICES=1 and runs them)."
        )


@pytest.fixture(autouse=True)
def _divisions_after_a_flush(request):
    """China's divisions are data a migration loads; a transactional test's
    flush empties the table, so such a test loads them again first (addresses
    and shipping templates point at them)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("transactional_db")
        from counties.divisions import divisions_load

        divisions_load()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so rate limits (accounts.throttles)
    counted by one test never throttle the next. The cache has its own Redis
    database, so this never touches queued Celery tasks."""
    caches["default"].clear()
    yield


@pytest.fixture
def make_user(db):
    """Create a user of a given role (password: correct-horse-battery-9)."""
    return UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher would cost seconds each time.
    (Passwords are still checked for real, only with a cheap hash.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by a test go to its own temporary folder, not the repo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def sms_to_file(settings, tmp_path):
    """Text messages a test sends go to its own file (sms.backends.FileBackend)."""
    settings.SMS_BACKEND = "sms.backends.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")


@pytest.fixture
def texts(settings):
    """The text messages sent so far in this test, oldest first: a list of
    {"phone", "purpose", "params"} read back from the file backend's file."""

    def read() -> list[dict]:
        try:
            with open(settings.SMS_FILE_PATH, encoding="utf-8") as sent:
                return [json.loads(line) for line in sent]
        except FileNotFoundError:
            return []

    return read


@pytest.fixture(autouse=True)
def tasks_run_in_process(request):
    """Unit tests run Celery tasks in-process even when REDIS_URL is set; the
    'services' tests are the ones that exercise a real worker through Redis."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
