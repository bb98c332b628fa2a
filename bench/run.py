"""`python -m bench [--scale tiny|county|platform|national]`: create and migrate
the benchmark database, load it with COPY, measure every figure, print the table
and write bench/results/latest.json and latest.md."""

import argparse
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from bench.database import (
    ROOT,
    BenchError,
    bench_database_url,
    create_fresh,
    prepare_environment,
    save_template,
)
from bench.scales import DEFAULT, SCALES

RESULTS = ROOT / "bench" / "results"
LOAD_ROWS_PER_SECOND = 20_000  # the bench's own target for loading


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a whole number of seconds, at least 1")
    return int(text)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=list(SCALES), default=DEFAULT)
    parser.add_argument(
        "--database",
        help="the benchmark database's name (default gplatform_bench_<scale>); "
        "it is dropped and created again",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--seconds", type=_positive, help="each load run (default: the scale's)"
    )
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also measure django-oscar side by side (bench/peer/, figure 7)",
    )
    parser.add_argument(
        "--peer-search",
        choices=["simple", "whoosh"],
        default="whoosh",
        help="the peer's Haystack backend (default: whoosh; with simple, Oscar's "
        "browsing and category pages list nothing, bench/README.md)",
    )
    return parser.parse_args(argv)


def _static_files() -> None:
    """collectstatic (DEBUG is off: the manifest storage needs it), unless the
    collected files are newer than every source file."""
    from django.conf import settings
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [p for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*")]
    newest = max((p.stat().st_mtime for p in sources if p.is_file()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


@contextmanager
def phase(results, name: str):
    """Time a step of the run into the results' facts, and say so."""
    started = time.perf_counter()
    print(f"bench: {name}…", file=sys.stderr, flush=True)
    yield
    seconds = round(time.perf_counter() - started, 1)
    results.facts.setdefault("seconds per step", {})[name] = seconds


def main(argv=None) -> int:
    args = _arguments(argv)
    scale = SCALES[args.scale]
    name = args.database or f"gplatform_bench_{scale.name}"
    try:
        url = bench_database_url(name)
        prepare_environment(url, args.results / "staticfiles")
        migrated = create_fresh(url)
        return measure(scale, name, url, migrated, args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2


def measure(scale, name: str, url: str, migrated: bool, args) -> int:
    import django

    django.setup()
    from django.conf import settings

    from bench import load
    from bench.results import Results

    results = Results(
        scale.name, name, datetime.now().astimezone().isoformat(timespec="seconds")
    )
    results.facts["DEBUG"] = settings.DEBUG
    results.facts["gunicorn workers"] = load.gunicorn_workers()
    results.facts["load generator"] = load.load_generator()
    results.facts["migrated database from the template"] = migrated
    try:
        _figures(scale, url, migrated, args, results)
    except BenchError as error:
        results.facts["stopped by"] = str(error)
        raise
    finally:
        results.figures.sort(key=lambda figure: figure.group)
        as_json, as_md = results.write(args.results)
        print(results.table())
        print(f"\nwritten: {as_json} and {as_md.name}")
    return 0


def _figures(scale, url, migrated, args, results) -> None:
    from django.core.management import call_command
    from django.db import connections

    from bench import checkout, load, pages, peer, recycling, rollup
    from bench.generate import Generator
    from bench.results import AT_LEAST, Figure

    seconds = args.seconds or scale.load_seconds
    if not migrated:
        with phase(results, "migrate"):
            call_command("migrate", interactive=False, verbosity=0)
            connections.close_all()
            save_template(url)
    with phase(results, "collectstatic"):
        _static_files()
    with phase(results, "load"):
        started = time.perf_counter()
        counts = Generator(scale).run()
        loaded = time.perf_counter() - started
    rows = sum(counts.values())
    results.facts["rows loaded"] = counts
    results.add(
        Figure(
            0,
            "load_rows_per_second",
            "Data load with COPY (with recount and ANALYZE)",
            round(rows / loaded),
            "rows/s",
            LOAD_ROWS_PER_SECOND,
            AT_LEAST,
            note=f"{rows:,} rows in {loaded:.1f} s",
        )
    )
    with phase(results, "rollups"):
        rollup.full_rebuild(results)
        rollup.settle()
        rollup.dirty_day(results, date(scale.years[-1], 6, 15))
    urls = pages.Pages.of(scale)
    with phase(results, "report pages, test client"):
        pages.report_pages(results, urls, scale.samples)
    args.results.mkdir(parents=True, exist_ok=True)
    with (
        phase(results, "pages over HTTP"),
        load.gunicorn(args.results / "gunicorn.log") as base,
    ):
        official = pages.session_cookie(pages.official())
        assistant = pages.session_cookie(pages.assistant())
        load.under_load(results, base, urls, seconds, official)
        load.page_weight(results, base, assistant)
        recycling.recycling(
            results,
            base,
            args.results / "gunicorn.log",
            min(recycling.RECYCLE_SECONDS, 6 * seconds),
        )
        if args.peer:
            with phase(results, "peer: django-oscar side by side"):
                peer.side_by_side(
                    results,
                    base,
                    seconds,
                    peer.buyer_cookie(),
                    workdir=args.results / "peer",
                    search=args.peer_search,
                )
    with phase(results, "checkout"):
        checkout.checkout_figures(results, seconds)


if __name__ == "__main__":
    sys.exit(main())
