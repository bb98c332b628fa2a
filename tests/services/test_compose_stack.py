"""Compose smoke test. Docker cannot run here, so the web, worker and beat commands
are read from docker-compose.yml and run through platform/entrypoint.sh against the
local PostgreSQL and Redis (platform/local-services.sh)."""

import json
import re
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.services.stack import (
    COMPOSE,
    ROOT,
    STARTUP_SECONDS,
    compose_command,
    running,
    wait_for,
)


def test_compose_describes_the_production_stack():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "proxy"}
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert all("healthcheck" in services[name] for name in ("postgres", "redis", "web"))
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert {"postgres-data", "redis-data", "media"} <= set(COMPOSE["volumes"])
    assert compose_command("worker")[:4] == ["celery", "-A", "config", "worker"]
    assert compose_command("beat")[:4] == ["celery", "-A", "config", "beat"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_web_serves_healthz_with_database_and_broker_ok(stack_env, tmp_path):
    url = f"http://127.0.0.1:{stack_env['PORT']}/healthz"

    def healthz():
        try:
            request = urllib.request.Request(url, headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=3) as response:
                return response.status, json.loads(response.read())
        except OSError:
            return None

    # As the image build does (platform/Dockerfile), so pages can use hashed files.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=stack_env,
        check=True,
        timeout=120,
    )
    log = tmp_path / "web.log"
    healthcheck = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert healthcheck[0] == "CMD"
    with running("web", stack_env, log) as web:
        status, body = wait_for(healthz, web, log)
        # The container's own healthcheck command passes against it too, although
        # it connects to 127.0.0.1, which ALLOWED_HOSTS does not list.
        check = subprocess.run(
            healthcheck[1:],
            env=stack_env,
            capture_output=True,
            timeout=30,
        )
        assert check.returncode == 0, check.stderr
        # Behind the TLS proxy: the home page renders with the hashed stylesheet.
        base = f"http://127.0.0.1:{stack_env['PORT']}"
        https = {"X-Forwarded-Proto": "https", "Host": "localhost"}
        request = urllib.request.Request(f"{base}/", headers=https)
        with urllib.request.urlopen(request, timeout=5) as response:
            home = response.read().decode()
            hsts = response.headers["Strict-Transport-Security"]
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', home)
        assert stylesheet, home
        request = urllib.request.Request(base + stylesheet.group(1), headers=https)
        with urllib.request.urlopen(request, timeout=5) as response:
            assert b"--green" in response.read()
    assert status == 200
    assert body == {"database": "ok", "broker": "ok"}
    assert "max-age=31536000" in hsts


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_sent_through_redis(stack_env, tmp_path):
    stale = SessionStore()
    stale.create()
    Session.objects.filter(pk=stale.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    log = tmp_path / "worker.log"
    with running("worker", stack_env, log) as worker:
        wait_for(lambda: "ready." in log.read_text(), worker, log)
        result = clear_expired_sessions.delay()
        assert result.get(timeout=STARTUP_SECONDS) == 1
    assert not Session.objects.filter(pk=stale.session_key).exists()
    assert "accounts.tasks.clear_expired_sessions" in log.read_text()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_beat_starts_with_the_schedule(stack_env, tmp_path):
    log = tmp_path / "beat.log"
    with running("beat", stack_env, log) as beat:
        wait_for(lambda: "beat: Starting..." in log.read_text(), beat, log)
        time.sleep(2)
        assert beat.poll() is None, log.read_text()
