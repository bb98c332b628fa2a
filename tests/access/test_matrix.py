"""The access-control matrix (tests/access/matrix.py) against the running
project: every URL in the URL conf has rows, every row's cells are what each
person really gets (and writes), and every method a URL does not list is
refused for everyone without writing anything."""

from urllib.parse import urlencode

import pytest

from tests.access.matrix import REFUSED, parse, url_name
from tests.access.probe import ask
from tests.access.routes import routes, url_for
from tests.access.targets import BODIES, MULTIPART, QUERIES, TARGETS
from tests.access.world import ROLES

pytestmark = pytest.mark.django_db
COLUMNS, CELLS = parse()
ROWS = sorted({row for row, _ in CELLS})
# One row per URL name for the methods a URL does not list: an action's variants
# (orders:act[cancel], orders:act[refund]) are one view, answering the same methods.
FIRST_ROWS = sorted({url_name(row)[0]: row for row in reversed(ROWS)}.values())
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def test_the_columns_are_the_worlds_people():
    assert COLUMNS == ROLES


def test_every_url_is_in_the_table():
    served = {route.name for route in routes() if not route.name.startswith("admin:")}
    named = {url_name(row)[0] for row in ROWS}
    assert sorted(served - named) == [], "decide who may use these: rows in TABLE"
    assert sorted(named - served) == [], "rows of URL names that no longer exist"


def test_every_parameter_names_an_object_of_the_world(world):
    """A URL with parameters is asked about a real object (TARGETS): an unknown
    id would make every column a 404 and prove nothing."""
    for row in ROWS:
        name, _ = url_name(row)
        route = next(r for r in routes() if r.name == name)
        if "<" in route.pattern or "(?P<" in route.pattern:
            assert name in TARGETS, f"{name}: which object of the world?"
    assert _url(world, "orders:act[cancel]").endswith(
        f"/{world.objects['o1'].pk}/cancel/"
    )
    # And nothing in targets.py is a typo that would quietly ask something else.
    named = {url_name(row)[0] for row in ROWS}
    assert set(TARGETS) <= named and set(QUERIES) <= named
    assert set(BODIES) <= set(CELLS)


def _url(world, row: str) -> str:
    name, variant = url_name(row)
    kwargs = TARGETS[name](world.objects, variant) if name in TARGETS else {}
    url = url_for(name, kwargs)
    if name in QUERIES:
        url = f"{url}?{urlencode(QUERIES[name](world.objects))}"
    return url


def _ask(world, column, method, row, body=None, **kwargs):
    return ask(
        world.sessions.get(column),
        method,
        _url(world, row),
        body,
        multipart=url_name(row)[0] in MULTIPART,
        **kwargs,
    )


@pytest.mark.parametrize(("row", "method"), list(CELLS))
def test_each_person_gets_what_the_table_says(world, row, method):
    def body():
        return BODIES[row, method](world.objects) if (row, method) in BODIES else {}

    answers = {
        column: _ask(world, column, method, row, body(), count_rows=method in WRITES)
        for column in COLUMNS
    }
    expected = dict(zip(COLUMNS, CELLS[row, method], strict=True))
    assert {column: a.token for column, a in answers.items()} == expected
    for column, answer in answers.items():
        if answer.outcome in REFUSED:
            assert answer.recounted == (), f"{column}: refused, yet rows changed"


@pytest.mark.parametrize("row", FIRST_ROWS)
def test_methods_not_in_the_table_are_refused(world, row):
    listed = {method for r, method in CELLS if r == row}
    wrong = {}
    for method in METHODS:
        if method in listed:
            continue
        for index, column in enumerate(COLUMNS):
            answer = _ask(world, column, method, row)
            if method == "HEAD" and "GET" in listed:
                fine = (
                    answer.outcome == "405" or answer.token == CELLS[row, "GET"][index]
                )
            elif method == "OPTIONS":
                fine = answer.outcome in REFUSED or (
                    answer.status == 200 and bool(answer.allow)
                )
            else:
                fine = answer.outcome in REFUSED
            if not fine or answer.written:
                wrong[f"{method} as {column}"] = answer.token
    assert wrong == {}, "answered a method the table does not list"
