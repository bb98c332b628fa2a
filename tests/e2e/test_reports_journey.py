"""In a real browser, a county official follows County C's sales for 2018: signs in
and lands on the county sales page, picks the county and the months January to
December 2018 (month inputs), and sees the figures (equal to the orders', worked
out here from the database), the monthly chart with twelve bars, and the tables,
one sorted by a click on a column heading. They export the report as XLSX: the
job is held back (as if the worker were busy), so the export page shows it pending
and HTMX polls it while the worker gets halfway and then finishes; the progress
bar follows, the download link appears, and the downloaded file is read with
openpyxl: the same totals and twelve months. The same report does not scroll
sideways on a phone, and an official of another county gets a 404 for the export,
its download and County C's report.

The world: two assistants and three farmers in County C with orders paid over
several months of 2018 (one only paid, not completed), one a year earlier, one
just after the year ends (local time), and one in another county; none of the last
three may be counted.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language. Screenshots are saved under
tests/e2e/artifacts/ as reports_journey_*.png."""

import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductStatus
from common.money import CENT
from orders.models import Order, OrderLine, OrderStatus
from orders.services.transitions import order_complete, order_ship
from reports import rollups
from reports.models import ReportExport
from reports.tasks import build_export
from tests.e2e.conftest import ARTIFACTS, phone_snapshot, sign_in
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
    order_pay,
    place_order,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
YEAR = 2018
START, END = f"{YEAR}-01", f"{YEAR}-12"


@pytest.fixture
def new_desktop(browser):
    """Opens 1280×900 pages with a Chinese locale, each in its own context."""
    contexts = []

    def open_page():
        context = browser.new_context(
            viewport=DESKTOP, locale="zh-CN", device_scale_factor=1
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def desktop_snapshot(page, name):
    """phone_snapshot's desktop twin: no sideways scroll, a full-page screenshot,
    and the scroll position put back."""
    name = f"reports_journey_{name}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], f"{name}: {width}px wide on a desktop"
    ARTIFACTS.mkdir(exist_ok=True)
    scrolled = page.evaluate("() => [window.scrollX, window.scrollY]")
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)


def local(*args):
    return datetime(*args, tzinfo=timezone.get_current_timezone())


def sale(product, quantity, paid_at, complete=True):
    """An order through the order services, paid at `paid_at` (local time)."""
    order = order_pay(order=place_order(product=product, quantity=quantity))
    if complete:
        order_ship(
            order=order,
            actor=product.farmer.user,
            carrier="other",
            tracking_number="E1234",
        )
        order_complete(order=order, actor=order.buyer)
    Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
    return order


def expected(county):
    """The report's figures for `county` in YEAR, from the orders themselves."""
    lines = OrderLine.objects.filter(
        order__county=county,
        order__paid_at__gte=local(YEAR, 1, 1),
        order__paid_at__lt=local(YEAR + 1, 1, 1),
    )
    totals = lines.aggregate(
        gmv=Sum("line_total"),
        completed=Sum("line_total", filter=Q(order__status=OrderStatus.COMPLETED)),
        orders=Count("order", distinct=True),
        assistants=Count("order__assistant", distinct=True),
        farmers=Count("order__farmer", distinct=True),
    )
    by_month = {
        row["month"].strftime("%Y-%m"): Decimal(row["gmv"]).quantize(CENT)
        for row in lines.annotate(
            month=TruncMonth("order__paid_at", tzinfo=timezone.get_current_timezone())
        )
        .values("month")
        .annotate(gmv=Sum("line_total"))
        .order_by("month")
    }
    return {
        "gmv": Decimal(totals["gmv"]).quantize(CENT),
        "completed": Decimal(totals["completed"]).quantize(CENT),
        "orders": totals["orders"],
        "assistants": totals["assistants"],
        "farmers": totals["farmers"],
        "by_month": by_month,
    }


def test_an_official_sees_and_exports_county_sales(
    live_server, new_desktop, new_phone, monkeypatch
):
    url = live_server.url

    # 1. County C: assistant Wang looks after Li and Zhao, assistant Liu after Sun.
    county = CountyFactory(name="County C 丙县", code="520999")
    wang = AssistantFactory(county=county, user__first_name="王")
    liu = AssistantFactory(county=county, user__first_name="刘")
    li = farmer_of(wang, shop_name="Li's Hill Apiary 李家蜂场", slug="li-hill-apiary")
    zhao = farmer_of(wang, shop_name="Zhao's Walnuts 赵家核桃", slug="zhao-walnuts")
    sun = farmer_of(liu, shop_name="Sun's Tea 孙家茶园", slug="sun-tea")

    def product(farmer, price):
        return ProductFactory(
            farmer=farmer, status=ProductStatus.ACTIVE, price=price, stock=50
        )

    honey = product(li, "68.00")
    walnuts = product(zhao, "32.50")
    tea = product(sun, "45.00")
    sale(honey, 2, local(YEAR, 1, 15, 10))
    sale(walnuts, 3, local(YEAR, 3, 8, 9))
    sale(honey, 1, local(YEAR, 6, 20, 14), complete=False)  # paid, not completed
    sale(tea, 4, local(YEAR, 9, 10, 16))
    sale(walnuts, 1, local(YEAR, 12, 31, 23, 30))  # the year's last half hour
    # Not in County C's 2018: a year earlier (a "previous" bar), just after the
    # year ends in local time (still 2018 in UTC), and another county's order.
    sale(honey, 5, local(YEAR - 1, 3, 9, 10))
    sale(tea, 2, local(YEAR + 1, 1, 1, 0, 30))
    elsewhere = farmer_of(AssistantFactory(), shop_name="Elsewhere Farm 外县农场")
    sale(product(elsewhere, "99.00"), 3, local(YEAR, 3, 8, 9))
    rollups.rebuild_all()

    official = UserFactory(username="official-c", role=Role.OFFICIAL)
    official.counties.add(county)
    other_official = UserFactory(username="official-b", role=Role.OFFICIAL)
    other_official.counties.add(elsewhere.household.village.county)

    want = expected(county)
    assert want["orders"] == 5 and want["assistants"] == 2 and want["farmers"] == 3
    assert want["completed"] < want["gmv"]  # the uncompleted order counts as sold
    # Five months with sales; December's is the year's last half hour.
    assert list(want["by_month"]) == [
        "2018-01",
        "2018-03",
        "2018-06",
        "2018-09",
        "2018-12",
    ]

    # 2. The official signs in and lands on the county sales page.
    page = new_desktop()
    sign_in(page, url, "official-c", "/reports/")
    form = page.locator("main form#report-filters")
    expect(form).to_have_count(1)
    desktop_snapshot(page, "0_landing")

    # 3. They choose County C and the twelve months of 2018, and show the report.
    form.locator("select[name=county]").select_option(county.code)
    form.locator("input[name=start]").fill(START)
    form.locator("input[name=end]").fill(END)
    expect(form.locator("input[name=start]")).to_have_value(START)
    expect(form.locator("input[name=end]")).to_have_value(END)
    form.locator("button[type=submit]").click()

    def report_for_2018(address):
        parts = urlsplit(address)
        query = parse_qs(parts.query)
        return (
            parts.path == "/reports/"
            and query.get("county") == [county.code]
            and query.get("start") == [START]
            and query.get("end") == [END]
        )

    page.wait_for_url(report_for_2018)
    report_url = page.url

    # The figures equal the orders'.
    main = page.locator("main")
    expect(main.locator("#figure-gmv dd")).to_have_text(f"¥{want['gmv']}")
    expect(main.locator("#figure-completed dd")).to_have_text(f"¥{want['completed']}")
    expect(main.locator("#figure-orders dd")).to_have_text(str(want["orders"]))
    expect(main.locator("#figure-assistants dd")).to_have_text(str(want["assistants"]))
    expect(main.locator("#figure-storefronts dd")).to_have_text(str(want["farmers"]))

    # The chart: one bar a month, the months with sales taller than nothing.
    chart = main.locator("svg.chart")
    expect(chart).to_have_count(1)
    bars = chart.locator("rect.current")
    expect(bars).to_have_count(12)
    heights = [int(bars.nth(i).get_attribute("height")) for i in range(12)]
    assert [month for month, height in enumerate(heights, 1) if height > 0] == [
        int(month[-2:]) for month in want["by_month"]
    ]
    assert max(heights) > 0
    # A year earlier: only March 2017 had a sale.
    previous = chart.locator("rect.previous")
    expect(previous).to_have_count(12)
    assert [int(previous.nth(i).get_attribute("height")) > 0 for i in range(12)] == [
        month == 3 for month in range(1, 13)
    ]

    # The tables: twelve months, and the three farmers (not the other county's).
    months = main.locator("#table-by_month tbody tr")
    expect(months).to_have_count(12)
    for row, month in zip(months.all(), range(1, 13), strict=True):
        label = f"{YEAR}-{month:02d}"
        cells = row.locator("td")
        expect(cells.nth(0)).to_have_attribute("data-value", label)
        gmv = want["by_month"].get(label, Decimal("0.00"))
        expect(cells.nth(1)).to_have_attribute("data-value", str(gmv))
    farmers = main.locator("#table-top_farmers")
    expect(farmers.locator("tbody tr")).to_have_count(want["farmers"])
    names = farmers.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == sorted(f.shop_name for f in (li, zhao, sun))
    expect(main).not_to_contain_text(elsewhere.shop_name)
    desktop_snapshot(page, "1_county_c_2018")

    # A click on the "orders" heading sorts the farmers by it, most first; a
    # second click reverses the order.
    heading = farmers.locator("thead th").nth(3)
    expect(heading).to_have_attribute("data-kind", "count")
    expect(heading).not_to_have_attribute("aria-sort", re.compile(".*"))
    heading.locator("button.sort").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    column = farmers.locator("tbody tr td:nth-child(4)")
    counts = [int(value) for value in column.all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    heading.locator("button.sort").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    counts = [int(value) for value in column.all_inner_texts()]
    assert counts == sorted(counts)
    desktop_snapshot(page, "2_sorted_by_orders")

    # 4. The same report on a phone does not scroll sideways.
    phone = new_phone()
    sign_in(phone, url, "official-c", "/reports/")
    phone.goto(report_url)
    expect(phone.locator("main #figure-orders dd")).to_have_text(str(want["orders"]))
    expect(phone.locator("main svg.chart rect.current")).to_have_count(12)
    phone_snapshot(phone, "reports_journey_3_phone")

    # 5. They export it as XLSX and land on the job's page. The job is held back
    # (a busy worker), so the page shows it pending and HTMX polls it; the worker
    # gets halfway, then finishes, and the bar follows until the file is ready.
    held = []
    monkeypatch.setattr(build_export, "delay_on_commit", held.append)
    export_form = main.locator("form#export-form")
    expect(export_form.locator("input[name=report]")).to_have_value("county_sales")
    for name, value in (("county", county.code), ("start", START), ("end", END)):
        expect(export_form.locator(f"input[type=hidden][name={name}]")).to_have_value(
            value
        )
    export_form.locator("button[name=format][value=xlsx]").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}/reports/exports/\d+/$"))
    export = ReportExport.objects.get(requested_by=official)
    assert page.url == f"{url}/reports/exports/{export.pk}/"
    assert held == [export.pk]
    assert (export.report, export.format) == ("county_sales", "xlsx")
    assert (export.params["county"], export.params["start"]) == (county.code, START)
    status = page.locator("main #export-status")
    progress = status.locator("progress")
    expect(status).to_have_attribute("data-status", "pending")
    expect(status).to_have_attribute("hx-get", f"/reports/exports/{export.pk}/")
    expect(progress).to_have_attribute("max", "100")
    expect(progress).to_have_attribute("value", "0")
    expect(status.locator("#export-download")).to_have_count(0)
    desktop_snapshot(page, "4_export_pending")

    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.RUNNING, progress=40
    )
    expect(status).to_have_attribute("data-status", "running", timeout=10_000)
    expect(progress).to_have_attribute("value", "40")
    desktop_snapshot(page, "5_export_running")

    # The real worker claims a pending job itself (pending → running in one
    # UPDATE): hand the job back as pending and let the worker build it.
    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.PENDING)
    assert build_export.apply(args=[export.pk]).get() == "done"
    expect(status).to_have_attribute("data-status", "done", timeout=10_000)
    expect(status).to_have_count(1)  # swapped in place, not nested
    expect(status).not_to_have_attribute("hx-get", re.compile(".*"))  # no more polls
    expect(progress).to_have_attribute("value", "100")
    download_link = status.locator("#export-download")
    expect(download_link).to_have_attribute(
        "href", f"/reports/exports/{export.pk}/download/"
    )
    desktop_snapshot(page, "6_export_done")

    # 6. They download the file; openpyxl reads the same totals and months.
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(f"-{export.pk}.xlsx")
    saved = ARTIFACTS / "reports_journey_export.xlsx"
    download.save_as(saved)
    book = load_workbook(saved, read_only=True)
    rows = list(book["summary"].iter_rows(values_only=True))
    assert rows[0] == ("key", "label", "value")
    summary = {key: value for key, _label, value in rows[1:]}
    assert summary["completed"] == float(want["completed"])
    assert summary["gmv"] == float(want["gmv"])
    assert summary["orders"] == want["orders"]
    assert summary["assistants"] == want["assistants"]
    by_month = list(book["by_month"].iter_rows(values_only=True))
    assert by_month[0] == ("month", "gmv", "previous", "growth")
    assert len(by_month) == 13
    assert [row[0] for row in by_month[1:]] == [
        f"{YEAR}-{month:02d}" for month in range(1, 13)
    ]
    assert {row[0]: row[1] for row in by_month[1:] if row[1]} == {
        month: float(gmv) for month, gmv in want["by_month"].items()
    }
    top = list(book["top_farmers"].iter_rows(values_only=True))
    assert sorted(row[0] for row in top[1:]) == sorted(
        f.shop_name for f in (li, zhao, sun)
    )
    book.close()

    # 7. An official of another county can neither see the export nor download
    # it, nor open County C's report.
    intruder = new_phone()
    sign_in(intruder, url, "official-b", "/reports/")
    for address in (
        f"/reports/exports/{export.pk}/",
        f"/reports/exports/{export.pk}/download/",
        f"/reports/?county={county.code}&start={START}&end={END}",
    ):
        response = intruder.goto(f"{url}{address}")
        assert response.status == 404, address
    phone_snapshot(intruder, "reports_journey_7_other_county_404")
