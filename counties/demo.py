"""Demo geography for seed_demo: counties (one is the case study's County C),
villages and poverty lines. Idempotent: rows are keyed by their natural keys."""

import random
from decimal import Decimal

from config.money import to_fen
from counties.models import County, PovertyLine, PovertyLineMethod, Village

DEMO_COUNTIES = [
    # (code, name, province, key poverty county, villages)
    (
        "529901",
        "County C",
        "Guizhou",
        True,
        ["Shiban", "Yangliu", "Heping", "Dashu", "Longtan", "Xinzhai"],
    ),
    ("529902", "Qingshui County", "Guizhou", True, ["Baiyun", "Shuikou", "Gaopo"]),
    ("339901", "Anji Demo County", "Zhejiang", False, ["Tianhuangping", "Xilong"]),
]
DEMO_YEARS = range(2014, 2027)
NATIONAL_2010_LINE = Decimal("2300")


def _cents(value: Decimal) -> Decimal:
    return to_fen(value)


def seed_counties(rng: random.Random) -> list[County]:
    counties = []
    for code, name, province, key, villages in DEMO_COUNTIES:
        county, _ = County.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "province": province,
                "is_key_poverty_county": key,
            },
        )
        for village in villages:
            Village.objects.get_or_create(county=county, name=village)
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
