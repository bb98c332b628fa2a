"""China's administrative divisions, shipped as data and loaded by a migration:
every province-level division (34, Taiwan, Hong Kong and Macau included), each
city within a province and each district within a city; a municipality's
districts under the municipality as its city; counties governed by a province
directly under its "省直辖县级行政区划". Loading again adds nothing. Expected
counts are taken from the data file here, by its codes' own structure."""

import json

import pytest

from counties.divisions import DATA, divisions_load
from counties.models import Division
from counties.selectors import division_path, divisions_within, provinces

pytestmark = pytest.mark.django_db


def shipped() -> list[list]:
    return json.loads(DATA.read_text(encoding="utf-8"))["divisions"]


def test_every_division_of_the_file_is_loaded_with_its_place():
    rows = shipped()
    assert Division.objects.count() == len(rows)
    by_level = {level: sum(1 for r in rows if r[3] == level) for level in (1, 2, 3)}
    assert provinces().count() == by_level[1] == 34
    # Codes carry their place: a province ends in 0000, a city in 00.
    for code, _name, parent, level in rows:
        if level == 1:
            assert code.endswith("0000") and parent == ""
        elif level == 2:
            assert code.endswith("00") and parent == code[:2] + "0000"
        else:
            assert not code.endswith("00") and parent[:2] == code[:2]
    assert Division.objects.filter(level=3, parent__level=2).count() == by_level[3]


def test_a_municipality_and_a_province_governed_county():
    beijing = list(divisions_within("110000"))
    assert [(d.code, d.name) for d in beijing] == [("110100", "北京市")]
    assert divisions_within("110100").filter(name="海淀区").exists()
    path = division_path("429004")  # 仙桃市, governed by 湖北省 directly
    assert [d.name for d in path] == ["湖北省", "省直辖县级行政区划", "仙桃市"]
    assert [d.level for d in path] == [1, 2, 3]


def test_unknown_codes_have_no_path_and_no_children():
    assert division_path("999999") == []
    assert not divisions_within("999999").exists()
    assert not divisions_within("110101").exists()  # a district: nothing below


def test_loading_again_adds_nothing():
    assert divisions_load() == 0
    assert Division.objects.count() == len(shipped())
