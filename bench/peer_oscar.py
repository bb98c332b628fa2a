"""The peer shop's side of `python -m bench --peer`: django-oscar from PyPI
(bench/peer/), in a virtual environment of its own (bench/peer/.venv, installed
from bench/peer/requirements.lock with --require-hashes), on a database of its
own (`gplatform_bench_oscar`) on the server of DATABASE_URL, migrated, loaded
with the marketplace's categories and active products (its `load_peer`
command), and served by the same gunicorn config (platform/gunicorn.conf.py)
with the same number of workers."""

import hashlib
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.database import ROOT, BenchError, bench_database_url
from bench.load import gunicorn_workers, served

PEER = ROOT / "bench" / "peer"
VENV = PEER / ".venv"
LOCK = PEER / "requirements.lock"
DATABASE = "gplatform_bench_oscar"
SEARCH_BACKENDS = ("simple", "whoosh")
HEALTH_PATH = "/bench/trivial/"


def _bin(name: str) -> Path:
    return VENV / "bin" / name


def _stamp() -> Path:
    """The install's stamp: named after the lock's content, so a changed lock
    installs again and an unchanged one does not."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    return VENV / f".installed-{digest}"


def ensure_venv() -> None:
    """bench/peer/.venv, created (`python -m venv`, this Python's version: the lock
    is for it) and installed from the lock unless its stamp says it is."""
    if not _bin("python").exists():
        _run([sys.executable, "-m", "venv", str(VENV)], "creating bench/peer/.venv")
    stamp = _stamp()
    if stamp.exists():
        return
    for old in VENV.glob(".installed-*"):
        old.unlink()
    _run(
        [str(_bin("python")), "-m", "pip", "install", "--quiet", "--require-hashes"]
        + ["-r", str(LOCK)],
        "installing bench/peer/requirements.lock",
    )
    stamp.touch()


def _run(command: list[str], what: str, env: dict | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        command, cwd=PEER, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise BenchError(f"peer: {what} failed ({done.returncode}):\n{tail}")
    return done.stdout


def oscar_version() -> str:
    return _run(
        [str(_bin("python")), "-c", "import oscar; print(oscar.get_version())"],
        "reading Oscar's version",
    ).strip()


def database_url() -> str:
    return bench_database_url(DATABASE)


def recreate_database(url: str) -> None:
    """Drop `gplatform_bench_oscar` (closing its connections) and create it empty."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name != DATABASE:
        raise BenchError(f"refusing to recreate {name!r}: not the peer's database")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def environment(workdir: Path, search: str, products_per_page: int) -> dict:
    """The peer's variables (oscar_shop/settings.py reads them)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="oscar_shop.settings",
        PEER_DATABASE_URL=database_url(),
        PEER_MEDIA_ROOT=str(workdir / "media"),
        PEER_SEARCH=search,
        PEER_WHOOSH_PATH=str(workdir / "whoosh"),
        PEER_PRODUCTS_PER_PAGE=str(products_per_page),
        WEB_CONCURRENCY=str(gunicorn_workers()),
    )
    return env


def setup(workdir: Path, spec: dict, env: dict, search: str) -> tuple[dict, dict]:
    """Install, create, migrate and load the peer (and build its Whoosh index).
    Returns the loader's answer (its categories' and products' URL slugs and
    ids, a customer's session cookie) and the seconds each step took."""
    seconds = {}
    started = time.perf_counter()
    ensure_venv()
    seconds["install"] = round(time.perf_counter() - started, 1)
    workdir.mkdir(parents=True, exist_ok=True)
    spec_path, answer_path = workdir / "spec.json", workdir / "answer.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    recreate_database(database_url())
    manage = [str(_bin("python")), "manage.py"]
    steps = [
        ("migrate", [*manage, "migrate", "--noinput", "--verbosity", "0"]),
        (
            "load",
            [*manage, "load_peer", "--spec", str(spec_path), "--out", str(answer_path)]
            + ["--categories", str(len(spec["categories"]))]
            + ["--products", str(len(spec["products"]))],
        ),
    ]
    if search == "whoosh":
        steps.append(("index", [*manage, "rebuild_index", "--noinput"]))
    for name, command in steps:
        started = time.perf_counter()
        _run(command, name, env)
        seconds[name] = round(time.perf_counter() - started, 1)
    return json.loads(answer_path.read_text(encoding="utf-8")), seconds


@contextmanager
def gunicorn(log_path: Path, env: dict):
    """The peer under gunicorn with the marketplace's config file, on a free
    local port; yields its base URL (as bench.load.gunicorn)."""
    command = [str(_bin("gunicorn")), "-c", str(ROOT / "platform" / "gunicorn.conf.py")]
    command.append("oscar_shop.wsgi")
    with served(command, PEER, env, HEALTH_PATH, log_path) as base:
        yield base
