"""Every page of the access matrix, as each person allowed to read it (a 200
GET), shows money to the fen and never a raw None: the world gets sales whose
sums are not exact in binary (SQLite hands such sums back as floats, which
turned into ¥742.800000000000 on the assistant's dashboard)."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from orders.models import Order
from tests.access.matrix import parse
from tests.access.test_matrix import _ask
from tests.factories import UserFactory, order_pay, place_checkout

pytestmark = pytest.mark.django_db
COLUMNS, CELLS = parse()
PAGES = sorted(row for row, method in CELLS if method == "GET")

# ¥ and an amount with three decimals or more.
UNROUNDED = re.compile(r"¥\s*-?[\d,]+\.\d{3,}")
# "None" as a word of the page's text or of an attribute's value.
RAW_NONE = re.compile(r"\bNone\b")
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def _sales(world) -> None:
    """F1 sells for ¥742.80 in the last 30 days and ¥1,039.92 the 30 before,
    each as two orders (¥0.10 + ¥742.70, ¥0.02 + ¥1,039.90), so every sum is a
    float on SQLite."""
    o = world.objects
    buyer, product = UserFactory(role=Role.BUYER), o["p1"]
    now = timezone.now()
    for total, days_ago in (
        ("0.10", 1),
        ("742.70", 2),
        ("0.02", 40),
        ("1039.90", 41),
    ):
        order = order_pay(order=place_checkout(buyer, [(product, 1)]).orders.get())
        Order.objects.filter(pk=order.pk).update(
            total=Decimal(total), paid_at=now - timedelta(days=days_ago)
        )


@pytest.fixture
def world_with_sales(world):
    _sales(world)
    return world


BLOCK = re.compile(r"\{% blocktranslate([^%]*)%\}(.*?)\{% endblocktranslate %\}", re.S)


def test_templates_show_money_through_the_filters():
    """Outside blocktranslate, ¥{{ … }} is written {{ …|money }}; inside, every
    ¥{{ name }} is bound as `name=…|amount` in the `with` clause."""
    by_hand = {}
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text()
        outside = BLOCK.sub("", text)
        wrong = re.findall(r"¥\s*\{\{[^}]*\}\}", outside)
        for head, body in BLOCK.findall(text):
            for name in re.findall(r"¥\{\{ (\w+) \}\}", body):
                if not re.search(rf"\b{name}=\S+\|amount\b", head):
                    wrong.append(f"¥{{{{ {name} }}}}")
        if wrong:
            by_hand[path.name] = wrong
    assert by_hand == {}


def test_the_pattern_catches_the_dashboards_old_output():
    assert UNROUNDED.search("¥742.800000000000 (前30天：¥1039.92000000000)")
    assert not UNROUNDED.search("¥742.80 (前30天：¥1,039.92)")


@pytest.mark.parametrize("row", PAGES)
def test_money_is_rounded_and_nothing_is_none(world_with_sales, row):
    problems = {}
    for column, expected in zip(COLUMNS, CELLS[row, "GET"], strict=True):
        if expected != "200":
            continue
        answer = _ask(world_with_sales, column, "GET", row)
        response = answer.response
        assert answer.status == 200, f"{row} as {column}: {answer.status}"
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = SCRIPTS.sub("", response.content.decode())
        found = [
            html[max(match.start() - 60, 0) : match.end() + 20]
            for pattern in (UNROUNDED, RAW_NONE)
            for match in pattern.finditer(html)
        ]
        if found:
            problems[column] = found
    assert problems == {}, f"{row}: money with more than two decimals, or None"
