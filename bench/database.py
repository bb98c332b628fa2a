"""The benchmark database: its URL (the server of DATABASE_URL, database
`gplatform_bench_<scale>`), created fresh and migrated for every run, and the
environment the bench runs Django with (production-like: DEBUG off)."""

import hashlib
import os
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# Production-like, whatever the shell says: DEBUG off (Django then keeps no query
# log and serves collected static files), the hosts the bench calls. The TLS proxy
# is not in front of gunicorn here: the bench sends X-Forwarded-Proto: https as
# that proxy does.
PRODUCTION_LIKE = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
}
# Kept if the caller set them.
DEFAULTS = {
    "SECRET_KEY": "bench-only-key-not-for-any-deployment",
    "LOG_LEVEL": "WARNING",
}


# A migrated empty database, copied for each run (CREATE DATABASE … TEMPLATE) while
# the migrations it was made from have not changed; its comment says which.
TEMPLATE = "gplatform_bench_template"


class BenchError(Exception):
    """The bench cannot run here, or a page did not answer as it should (the
    figures would be meaningless); the message says which."""


def bench_database_url(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise BenchError(
            "DATABASE_URL must point at PostgreSQL: run "
            '`eval "$(platform/local-services.sh start)"` first, or `make bench`.'
        )
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_environment(database_url: str, static_root: Path) -> None:
    """Before Django starts: the bench's settings, the production-like variables
    (unless the caller set them), and the benchmark database."""
    os.environ.update(PRODUCTION_LIKE)
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("STATIC_ROOT", str(static_root))


def _conninfo(database_url: str, dbname: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


def migrations_fingerprint() -> str:
    """Every migration file's path and content, and Django's version."""
    import django

    digest = hashlib.sha256(django.__version__.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _admin(database_url: str):
    return psycopg.connect(_conninfo(database_url, "postgres"), autocommit=True)


def create_fresh(database_url: str) -> bool:
    """Drop the benchmark database if it exists (closing its connections) and
    create it again: a copy of the migrated template if it is current (returns
    True), or empty (False: migrate it, then `save_template`)."""
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith("gplatform_bench_") or name == TEMPLATE:
        raise BenchError(f"refusing to recreate {name!r}: not a bench database")
    with _admin(database_url) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        row = db.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = %s",
            [TEMPLATE],
        ).fetchone()
        current = row is not None and row[0] == migrations_fingerprint()
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if current:
            try:
                db.execute(
                    create + sql.SQL(" TEMPLATE {}").format(sql.Identifier(TEMPLATE))
                )
                return True
            except psycopg.Error:  # another run is saving it: migrate instead
                pass
        db.execute(create)
    return False


def save_template(database_url: str) -> None:
    """Keep the just-migrated database (nobody may be connected to it) as the
    template of the next runs. It is only a cache: if another run is saving it
    at the same moment, this one leaves it to them."""
    name = urlsplit(database_url).path.lstrip("/")
    with _admin(database_url) as db, suppress(psycopg.Error):
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(TEMPLATE)
            )
        )
        db.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(TEMPLATE), sql.Identifier(name)
            )
        )
        db.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(TEMPLATE), sql.Literal(migrations_fingerprint())
            )
        )


def drop(database_url: str) -> None:
    """Drop a benchmark database (the smoke test's, once it is done)."""
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith("gplatform_bench_") or name == TEMPLATE:
        raise BenchError(f"refusing to drop {name!r}: not a bench database")
    with _admin(database_url) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
