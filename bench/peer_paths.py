"""The pure parts of `python -m bench --peer` (bench/peer.py): the URLs of both
sides, the order of the rounds, their medians, which runs are primed and which
Oscar run is each of ours' baseline, and the wrk script that gives every request
of an uncached run a URL of its own. No Django, no network."""

import random
import statistics
from urllib.parse import quote

SEARCH_WORD = "蜂蜜"  # honey, as bench.load.catalogue_paths searches
PRODUCT_SAMPLE = 200  # product pages rotated through, as bench.load.product_paths
SEED = 2018


class ScriptChanged(Exception):
    """bench.load's wrk script no longer has the line unique_script rewrites."""


def sample(count: int) -> list[int]:
    """The indices (into both sides' product lists, which are in the same order)
    of the product pages rotated through."""
    return sorted(random.Random(SEED).sample(range(count), min(PRODUCT_SAMPLE, count)))


def oscar_paths(answer: dict, indices: list[int]) -> dict[str, list[str]]:
    """Oscar's URLs of each page, from its loader's answer."""
    products = answer["products"]
    return {
        "catalogue": ["/catalogue/"],
        "category": [
            f"/catalogue/category/{slug}_{pk}/" for slug, pk in answer["categories"]
        ],
        "search": [f"/search/?q={quote(SEARCH_WORD)}"],
        "product": [f"/catalogue/{products[i][0]}_{products[i][1]}/" for i in indices],
    }


def with_x(path: str, token: str) -> str:
    """`path` with a parameter no cache keeps (`x=<token>`, last: the wrk script
    of unique_urls appends each request's own numbers to it)."""
    return f"{path}{'&' if '?' in path else '?'}x={token}"


def our_paths(category_slugs: list[str], product_pks: list[int]) -> dict:
    """Our URLs of each page, as bench.load's (catalogue_paths, product_paths)."""
    return {
        "catalogue": ["/products/"],
        "category": [f"/products/?category={slug}" for slug in category_slugs],
        "search": [f"/products/?q={quote(SEARCH_WORD)}"],
        "product": [f"/products/{pk}/" for pk in product_pks],
    }


def median_of(loads: list) -> tuple[float, float]:
    """The median throughput and the median p95 of the rounds (each its own)."""
    return (
        statistics.median(load.requests_per_second for load in loads),
        statistics.median(load.p95_ms for load in loads),
    )


def round_order(block: list, number: int) -> list:
    """A page's runs in round `number`: as planned in even rounds, reversed in
    odd ones, so neither side always goes first."""
    return list(block) if number % 2 == 0 else list(reversed(block))


# bench.load's wrk script has both wrk threads walk the same list from its start,
# so each URL would come twice. For the uncached runs, each thread numbers
# itself and every request appends "<thread>-<request>" to its path's x=.
REQUEST = 'return wrk.format("GET", paths[(n %% #paths) + 1])'
UNIQUE_REQUEST = (
    'return wrk.format("GET", paths[(n %% #paths) + 1] .. bench_thread .. "-" .. n)'
)
UNIQUE_SETUP = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("bench_thread", threads)
end
"""


def unique_script(script: str) -> str:
    """bench.load's wrk script, with each request's URL its own."""
    if REQUEST not in script:
        raise ScriptChanged("bench.load.WRK_SCRIPT changed: update bench/peer_paths.py")
    return UNIQUE_SETUP + script.replace(REQUEST, UNIQUE_REQUEST)


def primed(key: tuple) -> bool:
    """Whether a run's URLs are each asked for once before it: ours signed out
    and with a session, whose figures are of a cache's hits (the page cache, the
    results fragment; CATALOGUE_CACHE_SECONDS would let them lapse between
    rounds, and a short run would otherwise time the misses of 200 product
    pages). Oscar has no such cache; the uncached runs must not be primed."""
    return key[0] == "ours" and key[2] in ("signed_out", "session")


def baseline_variant(variant: str) -> str:
    """Which Oscar run each of our variants is divided by: Oscar signed in for our
    session, signed out otherwise (it has no cache for a URL to miss)."""
    return "session" if variant == "session" else "signed_out"
