"""In a real browser on a 390×844 phone screen, a farmer signs in and lands on
their home (/farmer/): the orders to ship with the overdue one first, this
month's sales and completed income, a rejected listing with its reason and the
link to the public storefront; in Chinese, then in English after switching the
language in the header.

Elements are found by ids, names and hrefs, not by visible text (except the
figures and the reason, which are data). Screenshots are saved under
tests/e2e/artifacts/ as farmer_home_journey_*.png."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Order, OrderStatus
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.factories import (
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    order_pay,
    place_checkout,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "照片太暗，看不清蜂蜜的颜色。Please retake the photo in daylight."


def _order(farmer, product, total, **fields):
    placed = place_checkout(UserFactory(role=Role.BUYER), [(product, 1)]).orders.get()
    order_pay(order=placed)
    paid_at = fields["paid_at"]
    Order.objects.filter(pk=placed.pk).update(
        total=Decimal(total), placed_at=paid_at - timedelta(minutes=5), **fields
    )
    return Order.objects.get(pk=placed.pk)


def test_a_farmer_lands_on_their_home(live_server, new_phone):
    url = live_server.url
    farmer = farmer_of(
        AssistantFactory(),
        user__username="farmer-wang",
        user__role=Role.FARMER,
        shop_name="王大叔的高山野生土蜂蜜合作社",
    )
    honey = ProductFactory(
        farmer=farmer, status=ProductStatus.ACTIVE, stock=50, title="高山土蜂蜜"
    )
    now = timezone.now()
    month_start = timezone.localtime(now).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    recent = _order(farmer, honey, "48.80", paid_at=now - timedelta(hours=2))
    late = _order(farmer, honey, "136.50", paid_at=now - timedelta(hours=60))
    done = _order(
        farmer,
        honey,
        "99.90",
        status=OrderStatus.COMPLETED,
        paid_at=now - timedelta(hours=1),
        completed_at=now,
    )
    rejected = ProductFactory(
        farmer=farmer,
        status=ProductStatus.REJECTED,
        title="土鸡蛋（散养三十枚装）",
        rejection_reason=REASON,
    )
    ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=0, title="核桃")
    # This month's sales, summed here: the orders paid since the month began.
    sales = sum(
        (o.total for o in (recent, late, done) if o.paid_at >= month_start),
        Decimal("0"),
    )

    page = new_phone()
    sign_in(page, url, "farmer-wang", "/farmer/")

    def check(language):
        assert page.locator("html").get_attribute("lang") == language
        rows = page.locator("main #to-ship li.order")
        assert rows.count() == 2
        assert late.number in rows.nth(0).inner_text()
        assert "overdue" in rows.nth(0).get_attribute("class")
        assert recent.number in rows.nth(1).inner_text()
        assert f"¥{sales:.2f}" in page.locator("main #figure-sales").inner_text()
        completed = page.locator("main #figure-completed").inner_text()
        assert "¥99.90" in completed
        row = page.locator(f"main #attention-{rejected.pk}")
        assert REASON in row.inner_text()
        assert row.locator(".reason").is_visible()
        storefront = page.locator(f'main a[href="/shop/{farmer.slug}/"]')
        assert storefront.is_visible()
        assert page.locator('main a[href="/farmer/storefront/"]').is_visible()
        phone_snapshot(page, f"farmer_home_journey_{language}")

    check("zh-hans")
    page.locator('header .language-switcher button[value="en"]').click()
    page.wait_for_url(f"{url}/farmer/")
    page.wait_for_selector('html[lang="en"]')
    check("en")

    # The storefront link opens the public storefront.
    page.locator(f'main a[href="/shop/{farmer.slug}/"]').click()
    page.wait_for_url(f"{url}/shop/{farmer.slug}/")
