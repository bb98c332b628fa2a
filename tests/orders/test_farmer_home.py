"""The farmer's home (/farmer/): orders to ship with the overdue ones first, this
month's sales and completed income (checked against sums written here), the
listings that need attention, the storefront links; the same number of queries
for 5 orders and listings as for 50; and no "coming soon" left anywhere."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Order, OrderStatus
from tests.factories import (
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_checkout,
)

pytestmark = pytest.mark.django_db
HOME = reverse("orders:farmer_home")


@pytest.fixture
def farmer():
    return AssignmentFactory().farmer


def month_start():
    return timezone.localtime().replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


def order(farmer, total, status=OrderStatus.PAID, **times):
    """A paid order of `farmer`'s, then set to `status`, `total` and `times`."""
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=500)
    placed = place_checkout(UserFactory(role=Role.BUYER), [(product, 1)]).orders.get()
    order_pay(order=placed)
    Order.objects.filter(pk=placed.pk).update(
        total=Decimal(total), status=status, **times
    )
    return Order.objects.get(pk=placed.pk)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_orders_to_ship_overdue_first_capped_with_a_link(client, farmer):
    now = timezone.now()
    recent = order(farmer, "10.00", paid_at=now - timedelta(hours=1))
    late = order(farmer, "20.00", paid_at=now - timedelta(hours=72))
    order(farmer, "30.00", OrderStatus.SHIPPED, paid_at=now - timedelta(hours=80))
    client.force_login(farmer.user)
    html = client.get(HOME).content.decode()
    section = html[html.index('id="to-ship"') : html.index('id="this-month"')]
    assert section.index(late.number) < section.index(recent.number)
    assert section.count('class="row order overdue"') == 1
    assert reverse("orders:to_ship") in section
    for _ in range(5):
        order(farmer, "1.00")
    section = client.get(HOME).content.decode()
    assert section.count(f'href="{reverse("orders:detail", args=[late.pk])}"') == 1
    assert section.count('class="row order') == 5


def test_this_months_figures_match_sums_over_the_orders(client, farmer, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    start = month_start()
    before = start - timedelta(minutes=1)
    order(farmer, "100.10", paid_at=start + timedelta(minutes=1))
    order(farmer, "0.20", OrderStatus.SHIPPED, paid_at=start + timedelta(minutes=2))
    order(
        farmer,
        "55.55",
        OrderStatus.COMPLETED,
        paid_at=before,
        completed_at=start + timedelta(minutes=3),
    )
    order(
        farmer,
        "7.07",
        OrderStatus.COMPLETED,
        paid_at=start + timedelta(minutes=4),
        completed_at=start + timedelta(minutes=5),
    )
    order(farmer, "900.00", OrderStatus.CANCELLED, paid_at=start + timedelta(minutes=6))
    order(farmer, "800.00", OrderStatus.REFUNDED, paid_at=start + timedelta(minutes=7))
    order(farmer, "700.00", paid_at=before)  # last month (local time)
    order(AssignmentFactory().farmer, "600.00", paid_at=start + timedelta(minutes=8))

    mine = Order.objects.filter(farmer=farmer)
    sales = (
        mine.filter(paid_at__gte=start)
        .exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.REFUNDED])
        .aggregate(s=Sum("total"))["s"]
    )
    completed = mine.filter(
        status=OrderStatus.COMPLETED, completed_at__gte=start
    ).aggregate(s=Sum("total"))["s"]
    assert round(sales, 2) == Decimal("107.37")  # 100.10 + 0.20 + 7.07
    assert round(completed, 2) == Decimal("62.62")  # 55.55 + 7.07

    client.force_login(farmer.user)
    html = text_of(client.get(HOME))
    section = html[html.index('id="this-month"') : html.index('id="attention"')]
    assert re.search(r'id="figure-sales">.*?¥107\.37', section)
    assert re.search(r'id="figure-completed">.*?¥62\.62', section)


def test_listings_that_need_attention(client, farmer):
    rejected = ProductFactory(
        farmer=farmer,
        status=ProductStatus.REJECTED,
        rejection_reason="The photo is too dark to see the honey.",
    )
    empty = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=0)
    pending = ProductFactory(farmer=farmer, status=ProductStatus.PENDING)
    fine = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=9)
    draft = ProductFactory(farmer=farmer, status=ProductStatus.DRAFT)
    someone_elses = ProductFactory(
        status=ProductStatus.REJECTED, rejection_reason="Not this farmer's."
    )
    client.force_login(farmer.user)
    html = text_of(client.get(HOME))
    section = html[html.index('id="attention"') :]
    positions = [section.index(p.title) for p in (rejected, empty, pending)]
    assert positions == sorted(positions)
    assert "The photo is too dark to see the honey." in section
    for product in (fine, draft, someone_elses):
        assert product.title not in section
    assert f"{reverse('catalogue:listings')}?attention=1" in section

    # "See all" lists the same listings, paginated.
    listed = text_of(client.get(reverse("catalogue:listings"), {"attention": "1"}))
    for product in (rejected, empty, pending):
        assert product.title in listed
    for product in (fine, draft, someone_elses):
        assert product.title not in listed


def test_storefront_links(client, farmer):
    client.force_login(farmer.user)
    html = client.get(HOME).content.decode()
    assert f'href="{reverse("storefront", args=[farmer.slug])}"' in html
    assert f'href="{reverse("farmers:storefront")}"' in html


def test_a_farmer_without_a_profile_is_told_so(client):
    client.force_login(UserFactory(role=Role.FARMER))
    response = client.get(HOME)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()


def _grow(farmer, count):
    now = timezone.now()
    for i in range(count):
        order(farmer, "12.34", paid_at=now - timedelta(hours=i * 10))
        ProductFactory(
            farmer=farmer, status=ProductStatus.REJECTED, rejection_reason="Blurry."
        )
        ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=0)


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured)


def test_query_count_is_the_same_for_5_and_50(client, farmer):
    client.force_login(farmer.user)
    _grow(farmer, 5)
    few = _queries(client)
    _grow(farmer, 45)
    assert _queries(client) == few


COMING_SOON = re.compile(r"coming soon|即将上线|block coming|class=\"coming", re.I)


def test_no_coming_soon_in_any_template_or_catalogue():
    found = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if COMING_SOON.search(path.read_text())
    ]
    assert found == []
    for language in ("zh_Hans", "en"):
        catalogue = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES")
        assert not COMING_SOON.search((catalogue / "django.po").read_text())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_home_page_says_nothing_is_coming(client, farmer, language):
    client.force_login(farmer.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(HOME).content.decode()
    assert not COMING_SOON.search(html)
    assert f'lang="{language}"' in html
