"""The bench (`python -m bench`) at scale `tiny`, end to end into a database of
its own, so the instrument cannot rot: every figure of issue 9 is written with a
value, a target and a ratio, the hand-written rollup baseline gives the product's
own rows, and no unit is oversold."""

import json
import math
import os
import subprocess
import sys

import pytest

from bench.database import ROOT, bench_database_url, drop

pytestmark = pytest.mark.services

# Issue 9's figures (0: the load), by key.
FIGURES = {
    "load_rows_per_second": 0,
    "rollup_full_seconds": 1,
    "dirty_day_seconds": 2,
    "sales_client_p50_ms": 3,
    "sales_client_p95_ms": 3,
    "sales_cached_p50_ms": 3,
    "sales_cached_p95_ms": 3,
    "sales_queries": 3,
    "income_client_p50_ms": 3,
    "income_client_p95_ms": 3,
    "income_cached_p50_ms": 3,
    "income_cached_p95_ms": 3,
    "income_queries": 3,
    "sales_load_p50_ms": 3,
    "sales_load_p95_ms": 3,
    "income_load_p50_ms": 3,
    "income_load_p95_ms": 3,
    "trivial_rps": 4,
    "catalogue_rps": 4,
    "catalogue_load_p95_ms": 4,
    "product_rps": 4,
    "product_load_p95_ms": 4,
    "recycling_max_ms": 4,
    "checkout_orders_per_second": 5,
    "checkout_oversold_units": 5,
    "home_weight_kb": 6,
    "catalogue_weight_kb": 6,
    "product_weight_kb": 6,
    "dashboard_weight_kb": 6,
}


@pytest.fixture
def bench_database():
    name = f"gplatform_bench_smoke_{os.getpid()}"
    yield name
    drop(bench_database_url(name))


def test_tiny_run_writes_every_figure_with_target_and_ratio(tmp_path, bench_database):
    # DEBUG=1 as the test settings have it: the bench turns it off itself.
    env = {**os.environ, "DEBUG": "1", "WEB_CONCURRENCY": "2"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "bench", "--scale", "tiny", "--seconds", "1"]
    command += ["--database", bench_database, "--results", str(tmp_path)]
    run = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]

    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["scale"] == "tiny"
    assert results["facts"]["DEBUG"] is False
    figures = {figure["key"]: figure for figure in results["figures"]}
    assert {key: figures[key]["group"] for key in figures} == FIGURES
    for key, figure in figures.items():
        for field in ("value", "target", "ratio"):
            assert isinstance(figure[field], int | float), (key, field, figure)
            assert math.isfinite(figure[field]), (key, field, figure)
        assert figure["target_text"], key
    # The load ran: pages answered, and the trivial page is its own baseline.
    assert figures["trivial_rps"]["value"] > 0
    assert figures["catalogue_rps"]["baseline"] == figures["trivial_rps"]["value"]
    # The baseline of figure 1 fills the same rows; checkout never oversells.
    assert results["facts"]["rollup: hand-written SQL gives the same rows"] is True
    assert figures["checkout_oversold_units"]["value"] == 0
    # The report pages' queries do not grow with the period's rows.
    assert figures["sales_queries"]["value"] == figures["sales_queries"]["baseline"]
    table = (tmp_path / "latest.md").read_text()
    assert table.count("\n| ") == len(FIGURES) + 1  # a header and a row each
