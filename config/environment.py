"""Parse and validate the environment variables the settings are built from.

Every malformed value raises ImproperlyConfigured naming the variable, so a bad
deployment fails at start-up with one clear line instead of deep inside a driver.
"""

import re
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DATABASE_SCHEMES = {
    "sqlite": "sqlite",
    "postgres": "postgres",
    "postgresql": "postgres",
    "pgsql": "postgres",
}
REDIS_SCHEMES = {"redis", "rediss"}


def masked(url: str) -> str:
    """The URL with its password replaced, for error messages that reach logs."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _split(variable: str, url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{variable} is malformed ({exc}): {masked(url)!r}"
        ) from exc
    return parts


def database_config(url: str, name: str = "DATABASE_URL") -> dict:
    """Return Django's DATABASES entry for a database URL (the variable `name`
    is what an error message names)."""
    parts = _split(name, url)
    engine = DATABASE_SCHEMES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite:///, got {masked(url)!r}"
        )
    if engine == "postgres" and not (parts.hostname and parts.path.strip("/")):
        raise ImproperlyConfigured(
            f"{name} must name a host and a database, got {masked(url)!r}"
        )
    if engine == "sqlite" and not parts.path:
        raise ImproperlyConfigured(f"{name} must name a SQLite file: {masked(url)!r}")
    config = environ.Env.db_url_config(url)
    if engine == "postgres":
        # Reuse connections, but check them before use so a restarted PostgreSQL
        # costs the in-flight request, not every later one.
        config.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    return config


def redis_url(url: str) -> str:
    """Validate REDIS_URL and return it unchanged ('' means no Redis)."""
    if not url:
        return ""
    parts = _split("REDIS_URL", url)
    if parts.scheme not in REDIS_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            f"REDIS_URL must look like redis://host:6379/0, got {masked(url)!r}"
        )
    return url


def next_redis_db(url: str) -> str:
    """The same Redis server, one database number up: the cache's own database, so
    flushing the cache can never drop queued Celery tasks ('' stays '')."""
    if not url:
        return ""
    parts = _split("REDIS_URL", url)
    db = int(parts.path.strip("/") or 0)
    return parts._replace(path=f"/{db + 1}").geturl()
