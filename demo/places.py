"""Demo geography for seed_demo: counties (one is the case study's C县, County C),
villages and poverty lines. Idempotent: rows are keyed by their natural keys."""

import random
from decimal import Decimal

from common.money import to_fen
from counties.models import County, PovertyLine, PovertyLineMethod, Village

# (code, name, English name, province, in English, key poverty county, villages:
# (name, English name)). Names as written in China, English ones for English pages
# (counties.models.in_language).
DEMO_COUNTIES = [
    (
        "529901",
        "C县",
        "County C",
        "贵州省",
        "Guizhou",
        True,
        [
            ("石板村", "Shiban Village"),
            ("杨柳村", "Yangliu Village"),
            ("和平村", "Heping Village"),
            ("大树村", "Dashu Village"),
            ("龙潭村", "Longtan Village"),
            ("新寨村", "Xinzhai Village"),
        ],
    ),
    (
        "529902",
        "清水县",
        "Qingshui County",
        "贵州省",
        "Guizhou",
        True,
        [
            ("白云村", "Baiyun Village"),
            ("水口村", "Shuikou Village"),
            ("高坡村", "Gaopo Village"),
        ],
    ),
    (
        "339901",
        "安吉演示县",
        "Anji Demo County",
        "浙江省",
        "Zhejiang",
        False,
        [("天荒坪村", "Tianhuangping Village"), ("溪龙村", "Xilong Village")],
    ),
]
CASE_STUDY_COUNTY = "529901"
DEMO_YEARS = range(2014, 2027)
NATIONAL_2010_LINE = Decimal("2300")


def _cents(value: Decimal) -> Decimal:
    return to_fen(value)


def seed_counties(rng: random.Random) -> list[County]:
    counties = []
    for code, name, name_en, province, province_en, key, villages in DEMO_COUNTIES:
        county, _ = County.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "province": province,
                "province_en": province_en,
                "is_key_poverty_county": key,
            },
        )
        for village, village_en in villages:
            # Keyed by the English name: a database seeded when villages had only
            # a pinyin name (migrated into name_en) gets its Chinese name.
            Village.objects.update_or_create(
                county=county, name_en=village_en, defaults={"name": village}
            )
        counties.append(county)
    _seed_poverty_lines(counties, rng)
    return counties


def _seed_poverty_lines(counties: list[County], rng: random.Random) -> None:
    county_c, _qingshui, zhejiang = counties
    for year in DEMO_YEARS:
        PovertyLine.objects.update_or_create(
            county=None,
            year=year,
            defaults={
                "method": PovertyLineMethod.ABSOLUTE,
                "amount": _cents(NATIONAL_2010_LINE * Decimal("1.02") ** (year - 2010)),
                "source_note": (
                    "Demo figure: the national standard of RMB 2,300 per person per "
                    "year at 2010 prices, restated with an assumed 2% yearly price "
                    "rise. Replace with the published current-price line."
                ),
            },
        )
    # County C sets its own absolute line from 2018, above the national one.
    for year in range(2018, DEMO_YEARS.stop):
        PovertyLine.objects.update_or_create(
            county=county_c,
            year=year,
            defaults={
                "method": PovertyLineMethod.ABSOLUTE,
                "amount": Decimal(3600 + 150 * (year - 2018)),
                "source_note": "Demo figure: a county-set absolute line.",
            },
        )
    # Zhejiang's rule: 45% of the previous year's provincial rural income per capita.
    reference = Decimal("10222")
    for year in DEMO_YEARS:
        reference = _cents(reference * Decimal(str(1.08 + rng.random() / 50)))
        PovertyLine.objects.update_or_create(
            county=zhejiang,
            year=year,
            defaults={
                "method": PovertyLineMethod.PERCENTAGE,
                "percentage": Decimal("45"),
                "reference_income": reference,
                "source_note": (
                    "Demo figure: Zhejiang's rule, 45% of the previous year's "
                    "provincial rural income per capita (demo reference income)."
                ),
            },
        )
