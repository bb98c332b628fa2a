"""The data sizes the bench loads, from the issue: County C (about 2,000 farmers
and 170k orders a year), the G platform (1.6 M users, 220 assistants, about 2 M
orders and 3 M lines) and a national one (10 M order lines); and `tiny`, a few
hundred orders, for the smoke test."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    counties: int
    villages_per_county: int
    assistants: int
    farmers: int
    products_per_farmer: int  # on average; each farmer has 1 to 2n - 1
    buyers: int
    orders: int
    years: tuple[int, ...]  # the calendar years the orders are spread over
    surveyed_share: float  # households with an income survey, each of the last 2 years
    load_seconds: int  # each HTTP load run
    samples: int  # requests per page through the test client


SCALES = {
    scale.name: scale
    for scale in (
        Scale("tiny", 1, 6, 3, 40, 3, 60, 400, (2018,), 0.5, 2, 5),
        Scale("county", 1, 150, 71, 2_000, 5, 40_000, 170_000, (2018,), 0.3, 10, 30),
        Scale(
            "platform",
            20,
            60,
            220,
            20_000,
            5,
            1_578_000,
            2_000_000,
            (2016, 2017, 2018),
            0.1,
            15,
            30,
        ),
        Scale(
            "national",
            100,
            80,
            1_000,
            70_000,
            5,
            3_000_000,
            7_000_000,
            (2014, 2015, 2016, 2017, 2018),
            0.05,
            15,
            30,
        ),
    )
}
DEFAULT = "county"
