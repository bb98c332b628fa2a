"""In a real browser on 390×844 phone screens, the county sales report catches up
by itself after a paid order (issue 15, item 10), in embedded mode as under
`make run` (no broker, no beat, no command run): County C's official first sees
no sales this month; a buyer pays their placed order on the simulated gateway;
the official opens the report again and sees the sale, the amount worked out
here from the order lines; the same report in English.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language. Screenshots are saved under
tests/e2e/artifacts/ as catch_up_journey_*.png."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import OrderLine, OrderStatus, PaymentStatus
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    place_checkout,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def snapshot(page, name):
    phone_snapshot(page, f"catch_up_journey_{name}")


def show_this_month(page, county):
    month = timezone.localdate().strftime("%Y-%m")
    form = page.locator("main form#report-filters")
    form.locator("select[name=county]").select_option(county.code)
    form.locator("input[name=start]").fill(month)
    form.locator("input[name=end]").fill(month)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/reports/\?.*start={month}"))


def test_a_paid_order_reaches_the_county_sales_report_by_itself(
    live_server, new_phone, settings
):
    settings.EMBEDDED = True  # as under `make run`, whatever this run's REDIS_URL
    url = live_server.url

    # 1. County C: farmer Li (assistant Wang's) sells honey and tea; a buyer has
    # placed an order for both, not yet paid; the county's official.
    county = CountyFactory(name="County C 丙县", code="520998")
    wang = AssistantFactory(county=county, user__first_name="王")
    li = farmer_of(wang, shop_name="Li's Hill Apiary 李家蜂场", slug="li-hill-apiary")
    honey, tea = (
        ProductFactory(
            farmer=li, title=title, status=ProductStatus.ACTIVE, price=price, stock=20
        )
        for title, price in (
            ("山花蜂蜜 Hill honey", "68.00"),
            ("高山绿茶 Green tea", "45.50"),
        )
    )
    buyer = UserFactory(username="buyer-chen", role=Role.BUYER)
    placed = place_checkout(buyer, [(honey, 2), (tea, 1)])
    order = placed.orders.get()
    official = UserFactory(username="official-c", role=Role.OFFICIAL)
    official.counties.add(county)
    lines = OrderLine.objects.filter(order=order)
    sold = sum(line.quantity * line.unit_price for line in lines)
    assert sold == Decimal("181.50")  # 2 × 68.00 + 45.50

    # 2. The official looks at this month: nothing sold yet.
    report = new_phone()
    sign_in(report, url, "official-c", "/reports/")
    show_this_month(report, county)
    report_url = report.url
    expect(report.locator("main #figure-gmv dd")).to_have_text("¥0.00")
    expect(report.locator("main #figure-orders dd")).to_have_text("0")
    snapshot(report, "0_report_before")

    # 3. The buyer pays on the simulated gateway and lands on "my orders".
    page = new_phone()
    sign_in(page, url, "buyer-chen", "/orders/")
    page.goto(f"{url}/orders/checkout/{placed.pk}/")
    page.locator(
        f'main form[action="/orders/checkout/{placed.pk}/pay/"] button[type=submit]'
    ).click()
    payment = placed.payments.get()
    page.wait_for_url(f"{url}/orders/gateway/{payment.reference}/")
    snapshot(page, "1_gateway")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/")
    expect(page.locator("main .badge.status-paid")).to_have_count(1)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.PAID, OrderStatus.PAID)
    snapshot(page, "2_paid")

    # 4. No command run: the official's report has the sale.
    report.goto(report_url)
    expect(report.locator("main #figure-gmv dd")).to_have_text(f"¥{sold}")
    expect(report.locator("main #figure-orders dd")).to_have_text("1")
    expect(report.locator("main #figure-storefronts dd")).to_have_text("1")
    expect(report.locator("main #table-top_farmers tbody tr")).to_have_count(1)
    expect(report.locator("main #table-top_farmers tbody td").first).to_have_text(
        li.shop_name
    )
    products = report.locator("main #table-top_products tbody td:first-child")
    shown = [f"{product.title}（{li.shop_name}）" for product in (honey, tea)]
    assert sorted(products.all_inner_texts()) == sorted(shown)
    assert report.locator("html").get_attribute("lang") == "zh-hans"
    snapshot(report, "3_report_after_zh_hans")

    # 5. The same report in English.
    report.locator('form.language-switcher button[value="en"]').click()
    report.wait_for_load_state()
    assert report.locator("html").get_attribute("lang") == "en"
    expect(report.locator("main #figure-gmv dd")).to_have_text(f"¥{sold}")
    snapshot(report, "4_report_after_en")
