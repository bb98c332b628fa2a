"""Running the production stack's commands (read from docker-compose.yml) against
the local PostgreSQL and Redis, taking Redis away and back and restarting
PostgreSQL (platform/local-services.sh), for service tests."""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
STARTUP_SECONDS = 60


def compose_command(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def stack_env_for(settings, tmp_path) -> dict:
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def services_env() -> dict:
    """platform/local-services.sh's variables for the Redis at REDIS_URL and the
    PostgreSQL of the test database (SERVICES_DIR comes from the caller, as in CI)."""
    port = re.search(r":(\d+)/", settings.REDIS_URL).group(1)
    pg_port = str(connection.settings_dict["PORT"] or 5432)
    return {**os.environ, "REDIS_PORT": port, "PG_PORT": pg_port}


def local_services(command: str) -> None:
    subprocess.run(
        ["platform/local-services.sh", command],
        cwd=ROOT,
        env=services_env(),
        check=True,
        timeout=90,
    )


def stop_redis() -> None:
    local_services("stop-redis")


def start_redis() -> None:
    local_services("start-redis")


def restart_postgres() -> None:
    """Restart PostgreSQL in fast mode: every connection is dropped, in-flight
    transactions roll back. Returns once it accepts connections again."""
    local_services("restart-postgres")
