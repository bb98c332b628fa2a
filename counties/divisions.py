"""China's administrative divisions, three levels (province, city, district),
shipped with the project as data (counties/data/divisions.json: GB/T 2260 codes
and names) and loaded into `Division` by a migration. Addresses and shipping
choose their regions from them."""

import json
from pathlib import Path

from counties.models import Division

DATA = Path(__file__).resolve().parent / "data" / "divisions.json"


def shipped_divisions() -> list[tuple[str, str, str, int]]:
    """The rows of the data file: (code, name, parent code or "", level), every
    parent before its children."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["divisions"]
    return [tuple(row) for row in sorted(rows, key=lambda row: (row[3], row[0]))]


def divisions_load(model=Division) -> int:
    """Load the shipped divisions into `model` (the migration passes its
    historical model); rows already there are kept. Returns how many it added."""
    have = set(model.objects.values_list("code", flat=True))
    new = [
        model(code=code, name=name, parent_id=parent or None, level=level)
        for code, name, parent, level in shipped_divisions()
        if code not in have
    ]
    model.objects.bulk_create(new, batch_size=1000)
    return len(new)


# What a division's name may end with, longest first: its short name is what
# is left ("湖北省" → "湖北", "恩施土家族苗族自治州" → "恩施土家族苗族").
SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "新区",
    "省",
    "市",
    "州",
    "盟",
    "区",
    "县",
    "旗",
)


def province_code(code: str) -> str:
    """The province a division lies in, by its code (GB/T 2260: the first two
    digits, then zeros)."""
    return f"{code[:2]}0000"


# Peoples named in autonomous divisions: a short name stops before the first
# ("恩施土家族苗族自治州" → "恩施").
PEOPLES = (
    "土家族",
    "苗族",
    "藏族",
    "彝族",
    "哈尼族",
    "傣族",
    "白族",
    "景颇族",
    "傈僳族",
    "回族",
    "蒙古族",
    "蒙古",
    "朝鲜族",
    "布依族",
    "侗族",
    "壮族",
    "哈萨克",
    "柯尔克孜",
    "羌族",
    "黎族",
    "瑶族",
    "满族",
    "畲族",
    "仡佬族",
    "水族",
    "纳西族",
    "普米族",
    "独龙族",
    "怒族",
    "拉祜族",
    "佤族",
    "撒拉族",
    "土族",
    "东乡族",
    "保安族",
    "裕固族",
    "锡伯族",
    "塔吉克",
    "达斡尔族",
    "鄂温克族",
    "鄂伦春族",
    "毛南族",
    "仫佬族",
    "各族",
    "维吾尔",
)


def _short(name: str) -> str:
    if "自治" in name:
        cut = min((name.find(p) for p in PEOPLES if name.find(p) > 1), default=-1)
        if cut > 1:
            return name[:cut]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _take(text: str, candidates) -> tuple[object, str] | None:
    """The candidate whose name (or short name) `text` starts with, longest
    first, and what is left of `text` after it (and after a suffix a writer
    put in place of the official one: "恩施州")."""
    best = None
    for division in candidates:
        for name in (division.name, _short(division.name)):
            if text.startswith(name) and (best is None or len(name) > best[1]):
                best = (division, len(name))
    if best is None:
        return None
    rest = text[best[1] :]
    if best[1] < len(best[0].name) and rest[:1] in "省市州盟区县":
        rest = rest[1:]
    return best[0], rest


def division_parse(text: str, divisions) -> object | None:
    """The deepest division a free-text region names ("湖北省 恩施州 巴东县",
    "北京朝阳区"), best effort; None when not even its province is found.
    `divisions` is every Division (a migration passes its historical rows)."""
    children: dict[str | None, list] = {}
    for division in divisions:
        children.setdefault(division.parent_id, []).append(division)
    rest = "".join((text or "").split())
    found, level = None, children.get(None, [])
    while rest and level:
        taken = _take(rest, level)
        if taken is None and found is not None:
            # A city left out ("北京市 朝阳区"): the districts of every city.
            deeper = [d for city in level for d in children.get(city.pk, [])]
            taken = _take(rest, deeper)
        if taken is None:
            break
        found, rest = taken
        level = children.get(found.pk, [])
    return found
