"""The pages over HTTP: gunicorn as production runs it (platform/gunicorn.conf.py:
2 × cores + 1 sync workers), loaded by wrk (Debian's `wrk`; threads of this
process where it is missing) at 16 connections.
Figure 3 over HTTP (the report pages), figure 4 (catalogue and product pages
against the bench's trivial page, in the same run) and figure 6 (page weight)."""

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.database import ROOT, BenchError
from bench.pages import P95_TARGET_MS, Pages, percentile
from bench.results import AT_LEAST, AT_MOST, Figure
from bench.urls import TRIVIAL_PATH
from catalogue.models import Category, Product, ProductStatus
from catalogue.views.public import PRODUCTS_PER_PAGE

CONNECTIONS = 16
THREADS = 2
STARTUP_SECONDS = 60
WARM_UP_REQUESTS = 5
# Fewer answers than this (or 10 a second of the run) and a p95 means little:
# run once more, twice as long.
MIN_REQUESTS = 20
RETRIES = 2
THROUGHPUT_RATIO_TARGET = 0.5  # catalogue at least half the trivial page's
PAGE_WEIGHT_TARGET_KB = 100
REPORT_LOAD_P95_TARGET_MS = 300  # a report page at 16 connections (issue 21)
PROXY_HEADER = ("X-Forwarded-Proto", "https")  # as the TLS proxy sends
# wrk's script: rotate through PATHS, print the summary as JSON at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"socket_errors": %%d, "bad_status": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(95), e.connect + e.read + e.write + e.timeout, e.status,
    latency.max))
end
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    requests: int
    timeouts: int  # and other socket errors: answers slower than 10 s, uncounted
    max_ms: float = 0.0

    @property
    def counted(self) -> str:
        timeouts = f" ({self.timeouts} over 10 s, not counted)" if self.timeouts else ""
        return f"{self.requests} requests{timeouts}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_workers() -> int:
    """What platform/gunicorn.conf.py will start here."""
    return int(os.environ.get("WEB_CONCURRENCY", min((os.cpu_count() or 1) * 2 + 1, 9)))


@contextmanager
def gunicorn(log_path: Path):
    """The production web command on a free local port; yields its base URL."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        "platform/gunicorn.conf.py",
        "config.wsgi",
    ]
    with served(command, ROOT, os.environ, "/healthz", log_path) as base:
        yield base


@contextmanager
def served(command: list[str], cwd: Path, env, health: str, log_path: Path):
    """`command` (a gunicorn) on a free local port ($HOST and $PORT), until its
    `health` path answers; yields its base URL, and stops it after."""
    port = _free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(  # noqa: S603
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(base + health, server)
            yield base
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited ({server.returncode}): see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer {url} in {STARTUP_SECONDS} s")


def _warm_up(base: str, paths: list[str], cookie: str) -> None:
    """A few requests one at a time, each worker's first included (templates
    compiled, connections open); unlike a timed warm-up run, none is left queued
    behind for the measured run."""
    for path in (paths * WARM_UP_REQUESTS)[:WARM_UP_REQUESTS]:
        _fetch(base + path, cookie)


def _wrk(base: str, paths: list[str], duration: int, cookie: str) -> dict:
    """One wrk run: its summary."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": quoted})
    command = [shutil.which("wrk"), f"-t{THREADS}", f"-c{CONNECTIONS}"]
    command += [f"-d{duration}s", "--timeout", "10s", "-s", script.name]
    command += ["-H", f"{PROXY_HEADER[0]}: {PROXY_HEADER[1]}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    try:
        output = subprocess.run(  # noqa: S603
            [*command, base], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    return json.loads(output.strip().splitlines()[-1])


def _python(base: str, paths: list[str], duration: int, cookie: str) -> dict:
    """The same as _wrk, from CONNECTIONS threads of this process (where wrk is
    not installed): each sends one request at a time, as a wrk connection does.
    The client shares the machine's cores with the server, so it reads lower."""
    host, port = base.removeprefix("http://").split(":")
    headers = dict([PROXY_HEADER], **({"Cookie": cookie} if cookie else {}))
    latencies, failures = [], []
    deadline = time.monotonic() + duration

    def connection_loop(offset: int) -> None:
        n = offset
        while True:
            start = time.monotonic()
            client = http.client.HTTPConnection(host, int(port), timeout=10)
            try:
                client.request("GET", paths[n % len(paths)], headers=headers)
                answer = client.getresponse()
                answer.read()
                ok = answer.status < 400
            except OSError:
                ok = False
            finally:
                client.close()
            end = time.monotonic()
            if end > deadline:
                return
            (latencies if ok else failures).append(end - start)
            n += 1

    threads = [
        threading.Thread(target=connection_loop, args=(n,)) for n in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(latencies),
        "duration_us": duration * 1e6,
        "p50_us": percentile(latencies, 0.5) * 1e6 if latencies else 0,
        "p95_us": percentile(latencies, 0.95) * 1e6 if latencies else 0,
        "max_us": max(latencies, default=0) * 1e6,
        "socket_errors": 0,
        "bad_status": len(failures),
    }


def load_generator() -> str:
    """wrk if installed, else this process's threads."""
    return "wrk" if shutil.which("wrk") else "python threads"


def measure_load(base: str, paths: list[str], seconds: int, cookie: str = "") -> Load:
    """CONNECTIONS concurrent connections over `paths` in turn, after a warm-up;
    run again for twice as long (up to RETRIES times) while fewer than
    MIN_REQUESTS answers came back, as on a busy machine with a slow page."""
    run = _wrk if shutil.which("wrk") else _python
    for attempt in range(RETRIES):
        _warm_up(base, paths, cookie)
        summary = run(base, paths, seconds * 2**attempt, cookie)
        if summary["requests"] >= min(MIN_REQUESTS, 10 * seconds):
            break
    if summary["bad_status"] or not summary["requests"]:
        raise BenchError(f"load on {paths[0]}…: {summary}")
    return Load(
        requests_per_second=round(
            summary["requests"] / (summary["duration_us"] / 1e6), 1
        ),
        p50_ms=round(summary["p50_us"] / 1000, 1),
        p95_ms=round(summary["p95_us"] / 1000, 1),
        requests=summary["requests"],
        timeouts=summary["socket_errors"],
        max_ms=round(summary["max_us"] / 1000, 1),
    )


def catalogue_paths(rng: random.Random) -> list[str]:
    """A mix of what shoppers ask for: pages, categories, sorts, a search."""
    products = Product.objects.filter(status=ProductStatus.ACTIVE).count()
    later_pages = range(2, min(products // PRODUCTS_PER_PAGE, 40) + 1)
    paths = ["/products/"] * 10
    if later_pages:
        paths += [f"/products/?page={rng.choice(later_pages)}" for _ in range(5)]
    paths += [
        f"/products/?category={slug}"
        for slug in Category.objects.values_list("slug", flat=True)
    ]
    paths += ["/products/?sort=price", "/products/?sort=best"]
    return [*paths, f"/products/?q={quote('蜂蜜')}"]  # honey: a common search


def product_paths(rng: random.Random, count: int = 200) -> list[str]:
    ids = list(
        Product.objects.filter(status=ProductStatus.ACTIVE).values_list("pk", flat=True)
    )
    return [f"/products/{pk}/" for pk in rng.sample(ids, min(count, len(ids)))]


def under_load(results, base: str, pages: Pages, seconds: int, cookie: str) -> None:
    """Figures 3 (over HTTP) and 4."""
    rng = random.Random(9)
    trivial = measure_load(base, ["/" + TRIVIAL_PATH], seconds)
    catalogue = measure_load(base, catalogue_paths(rng), seconds)
    product = measure_load(base, product_paths(rng), seconds)
    note = (
        f"{CONNECTIONS} connections, {seconds} s, gunicorn {gunicorn_workers()} workers"
    )
    results.add(
        Figure(
            4,
            "trivial_rps",
            "Trivial page (static template), throughput",
            trivial.requests_per_second,
            "req/s",
            1.0,
            AT_LEAST,
            baseline=trivial.requests_per_second,
            note=f"the baseline of figure 4 ({trivial.counted}, p95 "
            f"{trivial.p95_ms} ms); {note}",
        )
    )
    for key, name, load in (
        ("catalogue", "Catalogue", catalogue),
        ("product", "Product", product),
    ):
        results.add(
            Figure(
                4,
                f"{key}_rps",
                f"{name} pages under load, throughput",
                load.requests_per_second,
                "req/s",
                THROUGHPUT_RATIO_TARGET,
                AT_LEAST,
                baseline=trivial.requests_per_second,
                note=f"{note}; {load.counted}, p50 {load.p50_ms} ms",
            ),
            Figure(
                4,
                f"{key}_load_p95_ms",
                f"{name} pages under load, p95",
                load.p95_ms,
                "ms",
                P95_TARGET_MS,
                AT_MOST,
            ),
        )
    for key, name, path in (
        ("sales", "County sales", pages.sales()),
        ("income", "Income impact", pages.income()),
    ):
        load = measure_load(base, [path], seconds, cookie)
        results.add(
            Figure(
                3,
                f"{key}_load_p50_ms",
                f"{name} page under load (report cache), p50",
                load.p50_ms,
                "ms",
                REPORT_LOAD_P95_TARGET_MS / 2,
                AT_MOST,
                note=f"{note}; {load.counted}, {load.requests_per_second} req/s; "
                "one URL, so after its first request from the report cache",
            ),
            Figure(
                3,
                f"{key}_load_p95_ms",
                f"{name} page under load (report cache), p95",
                load.p95_ms,
                "ms",
                REPORT_LOAD_P95_TARGET_MS,
                AT_MOST,
            ),
        )


ASSETS = re.compile(
    r'<(?:link[^>]+rel="stylesheet"[^>]*href|script[^>]+src)="([^"]+)"', re.IGNORECASE
)


def _fetch(url: str, cookie: str = "") -> bytes:
    request = urllib.request.Request(url, headers=dict([PROXY_HEADER]))  # noqa: S310
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return answer.read()


def page_weight(results, base: str, assistant_cookie: str) -> None:
    """Figure 6: the HTML and the style sheets and scripts it links, as sent
    (uncompressed), before images."""
    product = Product.objects.filter(status=ProductStatus.ACTIVE).order_by("pk").first()
    for key, name, path, cookie in (
        ("home", "Home page", "/", ""),
        ("catalogue", "Catalogue page", "/products/", ""),
        ("product", "Product page", f"/products/{product.pk}/", ""),
        ("dashboard", "Assistant dashboard", "/assistant/", assistant_cookie),
    ):
        html = _fetch(base + path, cookie)
        assets = sorted(set(ASSETS.findall(html.decode())))
        asset_bytes = sum(
            len(_fetch(base + asset)) for asset in assets if asset.startswith("/")
        )
        total = len(html) + asset_bytes
        results.add(
            Figure(
                6,
                f"{key}_weight_kb",
                f"{name}, weight before images",
                round(total / 1024, 1),
                "KB",
                PAGE_WEIGHT_TARGET_KB,
                AT_MOST,
                note=f"HTML {len(html):,} B + {len(assets)} CSS/JS files "
                f"{asset_bytes:,} B, uncompressed",
            )
        )
