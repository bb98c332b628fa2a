"""Compose smoke test. Docker cannot run here, so the web, worker and beat commands
are read from docker-compose.yml and run through platform/entrypoint.sh against the
local PostgreSQL and Redis (platform/local-services.sh)."""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from accounts.tasks import clear_expired_sessions

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
STARTUP_SECONDS = 60


def compose_command(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_compose_describes_the_production_stack():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert all("healthcheck" in services[name] for name in ("postgres", "redis", "web"))
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert {"postgres-data", "redis-data", "media"} <= set(COMPOSE["volumes"])
    assert compose_command("worker")[:4] == ["celery", "-A", "config", "worker"]
    assert compose_command("beat")[:4] == ["celery", "-A", "config", "beat"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def stack_env(settings, tmp_path):
    """Production-like variables pointing the stack at the test database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DEBUG": "0",
        "SECRET_KEY": "compose-smoke-test-secret-key-long-enough-0123456789abcdef",
        # As in production: a host name, not the loopback address.
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": (
            f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "2",
    }


@contextmanager
def running(service: str, env: dict, log: Path):
    """Run a compose service's command the way its container would, then stop it."""
    with log.open("w") as out:
        process = subprocess.Popen(
            ["platform/entrypoint.sh", *compose_command(service)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(predicate, process, log: Path):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"process exited ({process.returncode}):\n{log.read_text()}")
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"not ready after {STARTUP_SECONDS}s:\n{log.read_text()}")


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
