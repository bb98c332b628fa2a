"""`python -m bench --peer`: the marketplace side by side with django-oscar from
PyPI (bench/peer/, set up and served by bench/peer_oscar.py), in the same run,
on the same PostgreSQL server, under the same wrk load (bench.load.measure_load,
16 connections), with the same gunicorn config and workers, over the same
categories and active products.

Four pages of each: the catalogue list, a category, a search and a product page.
Ours in three variants: signed out with no cookie (a popular page: the public
page cache serves it), with a buyer's session (the view runs; the results
fragment is still cached per URL), and at an uncached URL (signed out, an
`x=` the page cache does not keep and a number of its own for every request, so
the results fragment misses too). Oscar signed out, and with a signed-in
customer's session as the baseline of our session variant. Alternating rounds
(who goes first swaps each round), medians of ROUNDS. Group 7 of the results:
ours ÷ Oscar's throughput (target: at least THROUGHPUT_TARGET ×) and p95
(at most 1/THROUGHPUT_TARGET ×), and the trivial page of each for the ceiling."""

import http.client
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bench import load, peer_oscar
from bench.database import BenchError
from bench.peer_paths import (
    ScriptChanged,
    baseline_variant,
    median_of,
    oscar_paths,
    our_paths,
    primed,
    round_order,
    sample,
    unique_script,
    with_x,
)
from bench.results import AT_LEAST, AT_MOST, Figure
from bench.urls import TRIVIAL_PATH

GROUP = 7
ROUNDS = 3
THROUGHPUT_TARGET = 5  # ours at least 5 × Oscar's req/s
TRIVIAL_TARGET = 1  # the ceilings: ours no lower than Oscar's (the bench's own)
BUYER = "bench_buyer_0000000"
PAGES = {
    "catalogue": "catalogue list",
    "category": "category page",
    "search": "search",
    "product": "product page",
}
VARIANTS = {
    "signed_out": "signed out",
    "session": "buyer's session",
    "uncached": "uncached URL",
}
# How each side marks a product in a list (counted on one page of each, a check
# that both pages show what they claim).
CARDS = {"ours": 'class="product-card"', "oscar": 'class="product_pod"'}
UNFAIR = [
    "ours keeps whole public pages for signed-out visitors without a session "
    "(common.page_cache) and the catalogue's results fragment per URL for "
    "everyone: the signed-out variant measures a page-cache hit, the session "
    "variant a fragment hit; Oscar caches no page (only sorl-thumbnail's "
    "lookups and category slugs, in per-process LocMem: its docs set no CACHES)",
    "Oscar's browse, category and search pages go through Haystack; with the "
    "simple backend (Oscar's docs' 'basic search') Oscar 4.2's base query's "
    "filters (is_public, structure) become search words and only the last word "
    "filters: the catalogue and category pages list no product at all (see the "
    "product cards counted), and a search is a LIKE on the last word over every "
    "text column of every product, with no LIMIT (each match loaded and wrapped "
    "in Python). A working Oscar catalogue costs more than its empty one; Solr, "
    "its production backend, would cost its search less. --peer-search whoosh "
    "browses through a Whoosh index instead, whose analyzer does not split "
    "Chinese: its search for 蜂蜜 finds none of the titles that contain it",
    "Oscar prices each product through its strategy (stock records and "
    "availability per product) and its product page records analytics on every "
    "view (ProductRecord num_views, and UserProductView when signed in): writes "
    "ours does not do (the loader makes each product's record up front: two "
    "first views at once race on its unique key and answer 500 under load)",
    "Oscar runs each request in a transaction (ATOMIC_REQUESTS, as its docs "
    "recommend); ours does not",
    "HTML only: neither side's CSS, JS or images are requested; Oscar's static "
    "files are not served at all (no collectstatic), ours by whitenoise",
    "the pages differ: Oscar's are its default Bootstrap templates, ours the "
    "marketplace's (the bytes of each are in the facts); both list "
    "PRODUCTS_PER_PAGE products a page (OSCAR_PRODUCTS_PER_PAGE set to ours)",
    "our session variant is compared with Oscar signed in (session, user and "
    "basket read per request); the signed-out and uncached ones with Oscar "
    "signed out, which has no cache to miss",
    "16 connections on a few sync workers: p95 is mostly queueing (p95 ≈ k ÷ "
    "throughput), so its ratio mirrors the throughput's",
]


@contextmanager
def unique_urls():
    """While it lasts, every request wrk sends has a URL of its own."""
    saved = load.WRK_SCRIPT
    try:
        load.WRK_SCRIPT = unique_script(saved)
    except ScriptChanged as error:
        raise BenchError(str(error)) from error
    try:
        yield
    finally:
        load.WRK_SCRIPT = saved


def our_spec() -> tuple[dict, list[int]]:
    """Our categories and active products, for the peer's loader (the same names,
    texts, prices and stock), and the products' ids in the same order."""
    from catalogue.models import Category, Product, ProductStatus

    categories = [
        [slug, name]
        for slug, name in Category.objects.order_by("pk").values_list("slug", "name_zh")
    ]
    rows = list(
        Product.objects.filter(status=ProductStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "title", "description", "category__slug", "price", "stock")
    )
    products = [
        [title, text, slug, str(price), stock]
        for _pk, title, text, slug, price, stock in rows
    ]
    if not categories or not products:
        raise BenchError("peer: no categories or no active products to copy")
    return {"categories": categories, "products": products}, [row[0] for row in rows]


def buyer_cookie() -> str:
    """A bench buyer's session, as a `Cookie` header value."""
    from accounts.models import User
    from bench.pages import session_cookie

    return session_cookie(User.objects.get(username=BUYER))


def inspect(base: str, path: str, cookie: str, cards: str) -> dict:
    """One GET, not following redirects: the page must answer 200. Its size and
    the product cards in it."""
    parts = urlsplit(base)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = dict([load.PROXY_HEADER], **({"Cookie": cookie} if cookie else {}))
    try:
        client.request("GET", path, headers=headers)
        answer = client.getresponse()
        html = answer.read().decode("utf-8", "replace")
    finally:
        client.close()
    if answer.status != 200:
        raise BenchError(f"peer: {base}{path} answered {answer.status}")
    return {"bytes": len(html.encode()), "product cards": html.count(cards)}


def _plan(ours_base, oscar_base, ours, oscar, cookies) -> list[list[tuple]]:
    """Blocks of runs (key, base, paths, cookie), one block a page; key is
    (side, page, variant)."""
    blocks = [
        [
            (("oscar", "trivial", "signed_out"), oscar_base, ["/" + TRIVIAL_PATH], ""),
            (("ours", "trivial", "signed_out"), ours_base, ["/" + TRIVIAL_PATH], ""),
        ]
    ]
    for page in PAGES:
        blocks.append(
            [
                (("oscar", page, "signed_out"), oscar_base, oscar[page], ""),
                (("oscar", page, "session"), oscar_base, oscar[page], cookies["oscar"]),
                (("ours", page, "signed_out"), ours_base, ours[page], ""),
                (("ours", page, "session"), ours_base, ours[page], cookies["ours"]),
                (("ours", page, "uncached"), ours_base, ours[page], ""),
            ]
        )
    return blocks


def _measure(blocks, seconds: int) -> dict[tuple, list]:
    loads: dict[tuple, list] = {}
    for number in range(ROUNDS):
        for block in blocks:
            for key, base, paths, cookie in round_order(block, number):
                if primed(key):
                    for path in dict.fromkeys(paths):
                        load._fetch(base + path, cookie)
                if key[2] == "uncached":
                    paths = [with_x(path, f"r{number}t") for path in paths]
                    with unique_urls():
                        measured = load.measure_load(base, paths, seconds, cookie)
                else:
                    measured = load.measure_load(base, paths, seconds, cookie)
                loads.setdefault(key, []).append(measured)
    return loads


def _figures(results, loads, pages) -> None:
    def row(key, name, target, baseline_key, note):
        rps, p95 = median_of(loads[key])
        base_rps, base_p95 = median_of(loads[baseline_key])
        ours_runs = ", ".join(str(x.requests_per_second) for x in loads[key])
        oscar_runs = ", ".join(str(x.requests_per_second) for x in loads[baseline_key])
        seen, theirs = pages[f"ours {key[1]}"], pages[f"oscar {key[1]}"]
        listed = key[1] in ("catalogue", "category", "search")
        sizes = (
            f"one page: ours {seen['bytes']:,} B"
            + (f", {seen['product cards']} product cards" if listed else "")
            + f"; Oscar {theirs['bytes']:,} B"
            + (f", {theirs['product cards']} product cards" if listed else "")
        )
        results.add(
            Figure(
                GROUP,
                f"peer_{key[1]}_{key[2]}_rps",
                f"Peer: {name}, req/s ÷ Oscar's",
                rps,
                "req/s",
                target,
                AT_LEAST,
                baseline=base_rps,
                note=f"{note}; medians of {ROUNDS} alternating rounds: ours "
                f"{ours_runs} req/s, Oscar ({baseline_key[2].replace('_', ' ')}) "
                f"{oscar_runs}; {sizes}",
            ),
            Figure(
                GROUP,
                f"peer_{key[1]}_{key[2]}_p95_ms",
                f"Peer: {name}, p95 ÷ Oscar's",
                p95,
                "ms",
                1 / target,
                AT_MOST,
                baseline=base_p95,
                note=f"p95 by round: ours "
                f"{', '.join(str(x.p95_ms) for x in loads[key])} ms, Oscar "
                f"{', '.join(str(x.p95_ms) for x in loads[baseline_key])} ms",
            ),
        )

    row(
        ("ours", "trivial", "signed_out"),
        "trivial page",
        TRIVIAL_TARGET,
        ("oscar", "trivial", "signed_out"),
        "a static template through each side's middleware: each stack's ceiling "
        "here (the bench's own target: ours no lower)",
    )
    for page, page_name in PAGES.items():
        for variant, variant_name in VARIANTS.items():
            row(
                ("ours", page, variant),
                f"{page_name}, {variant_name}",
                THROUGHPUT_TARGET,
                ("oscar", page, baseline_variant(variant)),
                _variant_note(variant),
            )


def _variant_note(variant: str) -> str:
    return {
        "signed_out": "ours signed out with no cookie: the page cache's hit (a "
        "search is not kept whole: its results fragment is cached)",
        "session": "ours with a buyer's session: the view runs, the results "
        "fragment is cached per URL; Oscar with a signed-in customer's session",
        "uncached": "ours signed out at URLs no cache holds (x=<round>"
        "<thread>-<request>, each request its own"
        + ("" if shutil.which("wrk") else "; without wrk the URLs repeat")
        + "): the view and the results query run every time",
    }[variant]


def side_by_side(results, base: str, seconds: int, cookie: str, **options) -> None:
    """Set up and serve the peer, measure both sides, add group 7. Options:
    workdir (the peer's files, logs and index), search ("simple" or "whoosh")."""
    from catalogue.views.public import PRODUCTS_PER_PAGE

    workdir = Path(options.get("workdir") or peer_oscar.PEER / ".venv" / "run")
    search = options.get("search", "simple")
    spec, pks = our_spec()
    env = peer_oscar.environment(workdir, search, PRODUCTS_PER_PAGE)
    answer, setup_seconds = peer_oscar.setup(workdir, spec, env, search)
    if len(answer["products"]) != len(pks):
        raise BenchError("peer: the loader made a different number of products")
    indices = sample(len(pks))
    category_slugs = [slug for slug, _name in spec["categories"]]
    product_pks = [pks[i] for i in indices]
    ours = our_paths(category_slugs, product_pks)
    cookies = {"ours": cookie, "oscar": answer["customer_cookie"]}
    with peer_oscar.gunicorn(workdir / "gunicorn.log", env) as oscar_base:
        oscar = oscar_paths(answer, indices)
        trivial = "/" + TRIVIAL_PATH
        pages = {
            "ours trivial": inspect(base, trivial, "", CARDS["ours"]),
            "oscar trivial": inspect(oscar_base, trivial, "", CARDS["oscar"]),
        }
        for page in PAGES:
            pages[f"ours {page}"] = inspect(base, ours[page][0], "", CARDS["ours"])
            pages[f"oscar {page}"] = inspect(
                oscar_base, oscar[page][0], "", CARDS["oscar"]
            )
            inspect(oscar_base, oscar[page][0], cookies["oscar"], CARDS["oscar"])
            inspect(base, with_x(ours[page][0], "check"), "", CARDS["ours"])
            inspect(base, ours[page][0], cookie, CARDS["ours"])
        blocks = _plan(base, oscar_base, ours, oscar, cookies)
        loads = _measure(blocks, seconds)
    _figures(results, loads, pages)
    results.facts["peer"] = {
        "oscar": peer_oscar.oscar_version(),
        "search backend": search,
        "database": peer_oscar.DATABASE,
        "gunicorn workers (each side)": load.gunicorn_workers(),
        "categories": len(spec["categories"]),
        "active products": len(pks),
        "product pages rotated": len(indices),
        "rounds": ROUNDS,
        "seconds each run": seconds,
        "setup seconds": setup_seconds,
        "one page of each": pages,
        "req/s by round": {
            " ".join(key): [x.requests_per_second for x in runs]
            for key, runs in loads.items()
        },
        "what is unfair": UNFAIR,
    }
