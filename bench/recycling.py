"""Figure 4's recycling run: a long run over the catalogue mix with the shipped
gunicorn settings, in which the workers reach their max_requests
(platform/gunicorn.conf.py) and are replaced; its slowest answer says whether a
restart stalled the site (issue 21)."""

import os
import random
from pathlib import Path

from bench.load import CONNECTIONS, catalogue_paths, measure_load
from bench.results import AT_MOST, Figure

RECYCLE_SECONDS = 60
STALL_TARGET_MS = 1000  # the slowest answer: no stall


def recycling(results, base: str, log_path: Path, seconds: int) -> None:
    """Figure 4: a long run over the catalogue mix, in which the workers reach
    their max_requests (platform/gunicorn.conf.py) and are replaced; its slowest
    answer says whether a restart stalled the site."""
    booted = lambda: log_path.read_text(errors="replace").count("Booting worker")  # noqa: E731
    before = booted()
    load = measure_load(base, catalogue_paths(random.Random(11)), seconds)
    restarts = booted() - before
    results.add(
        Figure(
            4,
            "recycling_max_ms",
            "Slowest answer in a run with workers recycling",
            load.max_ms,
            "ms",
            STALL_TARGET_MS,
            AT_MOST,
            note=f"{seconds} s at {CONNECTIONS} connections over the catalogue mix, "
            f"{load.counted}, {load.requests_per_second} req/s, p95 {load.p95_ms} ms; "
            f"{restarts} workers replaced meanwhile (max_requests "
            f"{os.environ.get('GUNICORN_MAX_REQUESTS', '2000')}, jitter half of it)",
        )
    )
