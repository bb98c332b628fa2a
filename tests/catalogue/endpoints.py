"""The catalogue API's addresses, and reading the rows of one of its lists: what the
catalogue API's test modules share."""

from datetime import UTC, datetime

HUGE_ID = "99999999999999999999999"  # does not fit a 64-bit integer
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
PRODUCTS = "/api/catalogue/products/"
STOREFRONTS = "/api/catalogue/storefronts/"
LISTINGS = "/api/listings/"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in results(response)}
