"""The pure parts of the bench's peer mode (`python -m bench --peer`,
bench/peer_paths.py and the figures' arithmetic): the URLs built for both sides,
the rounds' order and medians, the ratio a figure reports, and the wrk script
that gives every uncached request its own URL. No network, no Oscar."""

from collections import namedtuple

import pytest

from bench import load
from bench.peer_paths import (
    PRODUCT_SAMPLE,
    REQUEST,
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
from bench.results import AT_LEAST, Figure

Run = namedtuple("Run", "requests_per_second p95_ms")
HONEY = "%E8%9C%82%E8%9C%9C"  # 蜂蜜, URL-quoted as UTF-8


def test_oscar_paths_are_its_url_patterns_for_the_loaders_answer():
    answer = {
        "categories": [["vegetables", 3], ["fruit", 9]],
        "products": [["p0", 11], ["p1", 12], ["p2", 13]],
        "customer_cookie": "sessionid=abc",
    }

    paths = oscar_paths(answer, [0, 2])

    assert paths == {
        "catalogue": ["/catalogue/"],
        "category": [
            "/catalogue/category/vegetables_3/",
            "/catalogue/category/fruit_9/",
        ],
        "search": [f"/search/?q={HONEY}"],
        "product": ["/catalogue/p0_11/", "/catalogue/p2_13/"],
    }


def test_our_paths_are_the_catalogue_a_category_the_search_and_products():
    paths = our_paths(["vegetables", "honey"], [101, 205])

    assert paths == {
        "catalogue": ["/products/"],
        "category": ["/products/?category=vegetables", "/products/?category=honey"],
        "search": [f"/products/?q={HONEY}"],
        "product": ["/products/101/", "/products/205/"],
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/products/", "/products/?x=r1t"),
        ("/products/7/", "/products/7/?x=r1t"),
        ("/products/?category=honey", "/products/?category=honey&x=r1t"),
        (f"/products/?q={HONEY}", f"/products/?q={HONEY}&x=r1t"),
    ],
)
def test_the_uncached_parameter_comes_last(path, expected):
    assert with_x(path, "r1t") == expected


def test_the_product_sample_is_the_same_indices_each_time_and_all_of_few():
    many = sample(1_000)
    assert many == sample(1_000)
    assert len(many) == PRODUCT_SAMPLE == len(set(many))
    assert many == sorted(many)
    assert all(0 <= n < 1_000 for n in many)
    assert sample(7) == [0, 1, 2, 3, 4, 5, 6]


def test_medians_take_throughput_and_p95_each_on_its_own():
    runs = [Run(300.0, 12.0), Run(100.0, 40.0), Run(200.0, 7.0)]

    assert median_of(runs) == (200.0, 12.0)


def test_the_figure_is_ours_over_oscars_medians_against_five():
    ours = [Run(300.0, 50.0), Run(90.0, 400.0), Run(240.0, 70.0)]
    oscar = [Run(40.0, 600.0), Run(60.0, 300.0), Run(50.0, 500.0)]
    ours_rps, _ = median_of(ours)
    oscar_rps, _ = median_of(oscar)

    figure = Figure(7, "k", "n", ours_rps, "req/s", 5, AT_LEAST, baseline=oscar_rps)

    assert figure.ratio == pytest.approx(240 / 50)
    assert not figure.met  # 4.8 ×, short of 5
    faster = Figure(7, "k", "n", 260.0, "req/s", 5, AT_LEAST, baseline=oscar_rps)
    assert faster.met  # 5.2 ×


def test_rounds_alternate_who_goes_first():
    block = ["oscar", "oscar session", "ours", "ours session", "ours uncached"]

    assert round_order(block, 0) == block
    assert round_order(block, 1) == block[::-1]
    assert round_order(block, 2) == block
    assert block == ["oscar", "oscar session", "ours", "ours session", "ours uncached"]


def test_only_our_cached_variants_are_primed_and_each_has_its_baseline():
    assert primed(("ours", "product", "signed_out"))
    assert primed(("ours", "search", "session"))
    assert not primed(("ours", "product", "uncached"))
    assert not primed(("oscar", "product", "signed_out"))
    assert [baseline_variant(v) for v in ("signed_out", "session", "uncached")] == [
        "signed_out",
        "session",
        "signed_out",
    ]


def test_the_unique_script_appends_thread_and_request_numbers():
    script = unique_script(load.WRK_SCRIPT) % {"paths": '"/products/?x=r0t"'}

    assert 'thread:set("bench_thread", threads)' in script
    assert (
        'return wrk.format("GET", paths[(n % #paths) + 1] .. bench_thread .. "-" .. n)'
        in script
    )
    assert "paths[(n % #paths) + 1])\n" not in script  # the plain request is gone
    assert "latency:percentile(95)" in script  # the summary is bench.load's own


def test_a_changed_load_script_is_refused_not_silently_used():
    assert REQUEST in load.WRK_SCRIPT
    with pytest.raises(ScriptChanged):
        unique_script('request = function() return wrk.format("GET", "/") end')
