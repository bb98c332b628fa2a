"""A work unit's journey on a 390×844 phone, through its pages, in Chinese (the
site's language) and in English (the `django_language` cookie):

1. staff register a school at /units/new/ and get its first admin's link; the
   admin (a buyer) opens it and joins, sets the year's farm-produce budget on
   the unit's page and invites a buyer there (the link is shown once); the
   buyer, signed in on another phone, opens it and joins;
2. the buyer has about ¥50,000 of produce from three storefronts in the cart,
   taps "Order for my unit", gives the delivery date and the purchase-order
   reference and places it: one order per storefront, and the page after
   gives the platform's bank account, the reference to quote and the amount;
3. staff find the transfer on /units/transfers/ and record it with the bank's
   reference and the exact amount: the orders are paid;
4. the farmers ship (through the services, as their own pages are tested
   elsewhere);
5. the buyer accepts one storefront's goods in part (one line's quantity
   lowered, with a reason) and the others' whole (the county's official saw the
   report count none of it before);
6. each farmer finds the order on "Work units' orders" and uploads the invoice,
   a PDF; the buyer sees it on the order's page and downloads it, and downloads
   the platform's receipt, a PDF;
7. the unit's page shows what was bought from poverty counties (the orders'
   totals less what was refused, worked out here from the test's own figures)
   and what is still to buy of the share reserved (the national 10%) of the
   budget, and its admin opens the unit's purchases report;
8. the county's official opens the county sales report: it counts the accepted
   goods only, as work units' purchases (what was refused is not a sale), and
   no retail sales.

Each page is checked for its heading in the reader's language, no sideways
scroll (phone_snapshot), tappable buttons and no text of the other language
outside the data shown (names, references, amounts). Screenshots:
tests/e2e/artifacts/unit_journey_*.png."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Cart, Checkout, OrderStatus, PaymentStatus
from orders.providers.bank_transfer import transfer_reference
from orders.services.cart import cart_add
from orders.services.transitions import order_ship
from procurement.models import AcceptanceLine, ReservedShare, UnitOrder, WorkUnit
from reports import rollups
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.e2e.test_money_pages import (
    check_language,
    fits,
    in_chinese,
    in_english,
    tappable,
)
from tests.factories import (
    AddressFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("zh-hans", "en")
UNIT = {"zh-hans": "雷山县第一中学", "en": "Leishan No. 1 Middle School"}
OTHER_UNIT = {"zh-hans": "雷山县民族中学", "en": "Leishan Ethnic Middle School"}
STAFF, ADMIN, BUYER = "staff-zhou", "admin-wu", "buyer-liu"
PURCHASE_REFERENCE = "HT-2025-0832"
BANK_REFERENCE = "B2025052000017"
BUDGET = Decimal("600000.00")
SHARE = Decimal("0.10")  # the national default share
# Three storefronts and what the unit buys of each: (title, unit, price, quantity).
SHOPS = {
    "李家山米业合作社": [
        ("高山香米 10 公斤装", "bag", "52.50", 200),
        ("压榨菜籽油 5 升", "bottle", "65.00", 100),
    ],
    "富硒蜂蜜合作社": [("土蜂蜜 500 克", "bottle", "88.00", 150)],
    "黔东南雷山县西江千户苗寨高山有机生态茶叶种植专业合作社": [
        ("雷山银球茶 250 克", "box", "125.00", 158)
    ],
}
PART = "李家山米业合作社"  # whose goods are accepted in part
REFUSED = ("高山香米 10 公斤装", 20)  # 20 bags of rice refused
ADDRESS = {
    "recipient": "食堂 张师傅",
    "region": "贵州省 黔东南州 雷山县",
    "street": "丹江镇 学府路 1 号",
}
ACCEPTED = {"zh-hans": "已验收", "en": "Accepted"}
MEMBERS = {"zh-hans": "单位成员", "en": "The unit's members"}
HEADINGS = {
    "unit_new": {"zh-hans": "登记预算单位", "en": "Register a work unit"},
    "link": {"zh-hans": "邀请链接", "en": "Invitation link"},
    "join": {"zh-hans": "加入预算单位", "en": "Join a work unit"},
    "cart": {"zh-hans": "购物车", "en": "Cart"},
    "checkout": {"zh-hans": "为单位下单", "en": "Order for the unit"},
    "done": {"zh-hans": "下单成功", "en": "Order placed"},
    "transfers": {"zh-hans": "待到账的银行转账", "en": "Bank transfers awaited"},
    "receive": {"zh-hans": "登记银行转账", "en": "Record a bank transfer"},
    "accept": {"zh-hans": "验收货物", "en": "Accept the goods"},
    "supplied": {"zh-hans": "单位订单", "en": "Work units' orders"},
    "invoice": {"zh-hans": "发票", "en": "The invoice"},
    "report": {"zh-hans": "县域销售", "en": "County sales"},
    "unit_report": {"zh-hans": "单位采购情况", "en": "A work unit's purchases"},
}
OFFICIAL = "official-yang"
INVOICE_UPLOADED = {"zh-hans": "发票已上传", "en": "Invoice uploaded"}


def shot(page, name: str, language: str) -> None:
    phone_snapshot(page, f"unit_journey_{name}_{language.replace('-', '_')}")


def speak(page, url: str, language: str) -> None:
    (in_english if language == "en" else in_chinese)(page, url)


def each_language(page, url, name, heading, data=(), check=None) -> None:
    """The page as it is (a GET), checked and photographed in Chinese, then in
    English; the phone is left in Chinese. `check(language)` checks more."""
    here = page.url
    for language in LANGUAGES:
        speak(page, url, language)
        page.goto(here)
        if check is not None:
            check(language)
        check_language(page, language, heading[language], data)
        shot(page, name, language)
    in_chinese(page, url)


def buttons_tappable(page) -> None:
    tappable(page, "main button[type=submit]:visible, main a.button:visible")


def inside(page, selector: str, container: str) -> None:
    """Each element is inside its container's box (a value that does not wrap
    can run out of its card and still be on the phone's screen)."""
    outer = page.locator(container).first.bounding_box()
    for element in page.locator(f"{container} {selector}").all():
        box = element.bounding_box()
        assert box["x"] >= outer["x"], (selector, box, outer)
        assert box["x"] + box["width"] <= outer["x"] + outer["width"], (selector, box)


def drawn_whole(page, selector: str) -> None:
    """A QR code's drawing fills its box: no code drawn small in a big white
    square (the quiet zone aside)."""
    box, drawing = page.locator(selector).evaluate(
        """svg => [svg.getBoundingClientRect(),
                   svg.querySelector("path").getBoundingClientRect()]
                  .map(r => [r.left, r.top, r.right, r.bottom])"""
    )
    width, height = box[2] - box[0], box[3] - box[1]
    assert abs(width - height) < 1, box
    assert drawing[2] - box[0] >= 0.85 * width, (box, drawing)
    assert drawing[3] - box[1] >= 0.85 * height, (box, drawing)


def money(value) -> str:
    return f"¥{Decimal(value):.2f}"


def storefronts(county):
    """The three farmers in a key poverty county and their produce, in stock."""
    products = []
    for shop, lines in SHOPS.items():
        farmer = FarmerFactory(shop_name=shop, household__village__county=county)
        for title, unit, price, quantity in lines:
            product = ProductFactory(
                farmer=farmer,
                title=title,
                unit=unit,
                price=Decimal(price),
                stock=quantity + 500,
                status=ProductStatus.ACTIVE,
            )
            products.append((product, quantity))
    return products


def invoice_pdf(path) -> bytes:
    """A seller's electronic invoice, as a one-page PDF."""
    drawing = canvas.Canvas(str(path))
    drawing.drawString(72, 720, "Invoice 25520001")
    drawing.showPage()
    drawing.save()
    return path.read_bytes()


def upload_invoice(farmer, url, unit_order, number, pdf_path, data, pages) -> None:
    """The farmer signs in, finds the unit's order on "Work units' orders" and
    uploads its invoice; `pages`: each page is checked in both languages."""
    shop = unit_order.order.farmer.shop_name
    sign_in(farmer, url, unit_order.order.farmer.user.username, "/farmer/")
    farmer.goto(f"{url}/units/supplied/")
    upload = f"/units/orders/{unit_order.pk}/invoice/upload/"
    row = farmer.locator("main ul.rows li.row").filter(has_text=shop)

    def supplied(language):
        expect(row).to_contain_text(unit_order.order.number)
        expect(row.locator("a.button")).to_have_attribute("href", upload)
        fits(farmer, "main ul.rows")
        buttons_tappable(farmer)

    def upload_form(language):
        expect(farmer.locator("main input[type=file]")).to_have_count(1)
        fits(farmer, "main form")
        buttons_tappable(farmer)

    def uploaded(language):
        expect(row).to_contain_text(INVOICE_UPLOADED[language])

    if pages:
        each_language(farmer, url, "6_supplied", HEADINGS["supplied"], data, supplied)
    row.locator("a.button").click()
    farmer.wait_for_url(f"{url}{upload}")
    if pages:
        each_language(
            farmer, url, "6_invoice_upload", HEADINGS["invoice"], data, upload_form
        )
    farmer.fill("#id_number", number)
    farmer.fill("#id_issued_by", shop)
    farmer.set_input_files("#id_file", str(pdf_path))
    farmer.locator("main form button[type=submit]").click()
    farmer.wait_for_url(f"{url}/units/supplied/")
    uploaded("zh-hans")
    if pages:
        each_language(
            farmer, url, "6_supplied_invoiced", HEADINGS["supplied"], data, uploaded
        )


def county_report(page, url, county) -> None:
    """The county sales page for this month, chosen in the report's form."""
    page.goto(f"{url}/reports/")
    form = page.locator("main form#report-filters")
    form.locator("select[name=county]").select_option(county.code)
    month = f"{timezone.localdate():%Y-%m}"
    form.locator("input[name=start]").fill(month)
    form.locator("input[name=end]").fill(month)
    form.locator("button[type=submit]").click()
    expect(page.locator("main #figure-gmv dd")).to_be_visible()


def test_a_unit_buys_pays_by_transfer_and_accepts(live_server, new_phone, tmp_path):
    url = live_server.url
    county = CountyFactory(
        name="雷山县",
        name_en="Leishan County",
        province="贵州省",
        province_en="Guizhou",
    )
    UserFactory(username=STAFF, role=Role.STAFF)
    UserFactory(username=OFFICIAL, role=Role.OFFICIAL).counties.add(county)
    UserFactory(username=ADMIN, role=Role.BUYER)
    buyer = UserFactory(username=BUYER, role=Role.BUYER)
    AddressFactory(buyer=buyer, division_id="522634", **ADDRESS)  # 雷山县
    year = timezone.localdate().year
    ReservedShare.objects.create(year=year, province="", share=SHARE)
    products = storefronts(county)
    total = sum(p.price * n for p, n in products)
    assert total == Decimal("49950.00")  # 10,500 + 6,500 + 13,200 + 19,750
    names = [STAFF, ADMIN, BUYER, *SHOPS, *(p.title for p, _ in products)]
    # "PDF" is the file's kind in Chinese too (平台收据（PDF）).
    data = [*names, *ADDRESS.values(), PURCHASE_REFERENCE, BANK_REFERENCE, "PDF"]

    # --- 1. Staff register the unit; its admin joins --------------------------
    staff = new_phone()
    sign_in(staff, url, STAFF, "/admin/")
    for language in LANGUAGES:
        # The answer is shown once: a unit is registered in each language, the
        # first for real, the second only to see the page in English.
        speak(staff, url, language)
        staff.goto(f"{url}/units/new/")
        registering = UNIT if language == "zh-hans" else OTHER_UNIT
        staff.fill("#id_name", registering["zh-hans"])
        staff.fill("#id_name_en", registering["en"])
        staff.select_option("#id_kind", "school")
        staff.select_option("#id_county", str(county.pk))
        fits(staff, "main form")
        buttons_tappable(staff)
        check_language(staff, language, HEADINGS["unit_new"][language], data)
        shot(staff, "1_unit_new", language)
        staff.locator("main form button[type=submit]").click()
        expect(staff.locator("main h1")).to_have_text(HEADINGS["link"][language])
        link = staff.locator("main #link").input_value()
        assert re.fullmatch(rf"{url}/units/join/[\w-]+/", link), link
        if language == "zh-hans":
            admin_link = link
        expect(staff.locator("main .qr svg")).to_be_visible()
        drawn_whole(staff, "main .qr svg")
        fits(staff, "main #link")
        fits(staff, "main .qr svg")
        buttons_tappable(staff)
        check_language(
            staff,
            language,
            HEADINGS["link"][language],
            [*data, link, registering["zh-hans"]],
        )
        shot(staff, "1_admin_link", language)
    in_chinese(staff, url)
    unit = WorkUnit.objects.get(name=UNIT["zh-hans"])

    admin = new_phone()
    sign_in(admin, url, ADMIN, "/orders/")
    admin.goto(admin_link)

    def join_page(language):
        expect(admin.locator("main .card")).to_contain_text(UNIT[language])
        tappable(admin, "main form button[type=submit]")

    each_language(admin, url, "1_join_admin", HEADINGS["join"], data, join_page)
    admin.locator("main form button[type=submit]").click()
    admin.wait_for_url(f"{url}/units/")
    expect(admin.locator("main h1")).to_have_text(UNIT["zh-hans"])
    assert unit.members.get(user__username=ADMIN).role == "admin"

    # The admin sets the year's budget (its form is open while none is set).
    budget = admin.locator(f'main form[action="/units/{unit.pk}/budget/"]')
    expect(budget).to_be_visible()
    expect(budget.locator("input[name=year]")).to_have_value(str(year))
    budget.locator("input[name=amount]").fill(str(BUDGET))
    budget.locator("button[type=submit]").click()
    admin.wait_for_url(f"{url}/units/{unit.pk}/")
    reserved = BUDGET * SHARE
    expect(admin.locator("main #quota")).to_contain_text(money(BUDGET))
    expect(admin.locator("main #quota")).to_contain_text(money(reserved))
    expect(admin.locator("main #quota-remaining")).to_have_text(money(reserved))

    # --- The admin invites the buyer (the link shown once, in each language) ---
    buyer_links = {}
    for language in LANGUAGES:
        speak(admin, url, language)
        admin.goto(f"{url}/units/")
        invite = admin.locator(f'main form[action="/units/{unit.pk}/invite/"]')
        invite.locator("select[name=role]").select_option("buyer")
        invite.locator("input[name=note]").fill("食堂采购")
        invite.locator("button[type=submit]").click()
        expect(admin.locator("main h1")).to_have_text(HEADINGS["link"][language])
        buyer_links[language] = admin.locator("main #link").input_value()
        drawn_whole(admin, "main .qr svg")
        fits(admin, "main #link")
        buttons_tappable(admin)
        check_language(
            admin,
            language,
            HEADINGS["link"][language],
            [*data, buyer_links[language]],
        )
        shot(admin, "1_buyer_link", language)
    in_chinese(admin, url)

    buyer_phone = new_phone()
    sign_in(buyer_phone, url, BUYER, "/orders/")
    buyer_phone.goto(buyer_links["en"])
    each_language(buyer_phone, url, "1_join_buyer", HEADINGS["join"], data)
    buyer_phone.locator("main form button[type=submit]").click()
    buyer_phone.wait_for_url(f"{url}/units/")
    assert unit.members.get(user=buyer).role == "buyer"

    # The unit's page as its admin sees it: the budget, members, one open link
    # (the Chinese one, not used).
    admin.goto(f"{url}/units/")

    def admin_view(language):
        expect(admin.locator("main #members h2")).to_have_text(MEMBERS[language])
        expect(admin.locator("main #members li.row")).to_have_count(2)
        expect(admin.locator("main #invites li.row")).to_have_count(1)
        expect(admin.locator("main #quota-remaining")).to_have_text(money(reserved))
        fits(admin, "main #members")
        fits(admin, "main #invites")
        buttons_tappable(admin)

    each_language(
        admin, url, "1_unit_admin", UNIT, [*data, "食堂采购"], check=admin_view
    )

    # --- 2. The buyer orders for the unit -------------------------------------
    cart = Cart.objects.create(buyer=buyer)
    for product, quantity in products:
        cart_add(cart=cart, product_id=product.pk, quantity=quantity)
    buyer_phone.goto(f"{url}/orders/cart/")

    def cart_page(language):
        expect(buyer_phone.locator("main .sticky")).to_contain_text(money(total))
        fits(buyer_phone, "main .sticky")
        tappable(buyer_phone, "main .sticky a.button")

    each_language(buyer_phone, url, "2_cart", HEADINGS["cart"], data, cart_page)
    buyer_phone.locator('main .sticky a[href="/units/checkout/"]').click()
    buyer_phone.wait_for_url(f"{url}/units/checkout/")

    def checkout_page(language):
        expect(buyer_phone.locator("main section.card")).to_have_count(3)
        expect(buyer_phone.locator("main #place-unit-order")).to_contain_text(
            money(total)
        )
        expect(buyer_phone.locator("main input[name=address]")).to_be_checked()
        fits(buyer_phone, "main #place-unit-order")
        buttons_tappable(buyer_phone)

    each_language(
        buyer_phone, url, "2_unit_checkout", HEADINGS["checkout"], data, checkout_page
    )
    deliver_by = timezone.localdate() + timedelta(days=5)
    buyer_phone.fill("#id_deliver_by", deliver_by.isoformat())
    buyer_phone.fill("#id_purchase_reference", PURCHASE_REFERENCE)
    buyer_phone.locator("main #place-unit-order button[type=submit]").click()
    buyer_phone.wait_for_url(re.compile(rf"{url}/orders/checkout/\d+/$"))

    checkout = Checkout.objects.get(buyer=buyer)
    orders = list(checkout.orders.order_by("pk"))
    assert len(orders) == 3
    assert all(o.status == OrderStatus.PENDING_PAYMENT for o in orders)
    assert sum(o.total for o in orders) == total
    payment = checkout.payments.get()
    quoted = transfer_reference(payment)
    numbers = [o.number for o in orders]
    data += [*numbers, quoted]

    def done_page(language):
        expect(buyer_phone.locator("main > ul.rows > li.row")).to_have_count(3)
        facts = buyer_phone.locator("main #bank-transfer dl.facts")
        expect(facts).to_contain_text(money(total))
        expect(facts).to_contain_text(quoted)
        expect(facts.locator("dd.number").first).not_to_be_empty()
        fits(buyer_phone, "main #bank-transfer")
        inside(buyer_phone, "dd", "main #bank-transfer")
        buttons_tappable(buyer_phone)

    bank = [settings.PLATFORM_BANK_ACCOUNT_NAME, settings.PLATFORM_BANK_NAME]
    each_language(
        buyer_phone, url, "2_checkout_done", HEADINGS["done"], [*data, *bank], done_page
    )

    # --- 3. Staff record the transfer -----------------------------------------
    staff.goto(f"{url}/units/transfers/")

    def transfers_page(language):
        row = staff.locator("main ul.rows li.row").filter(has_text=quoted)
        expect(row).to_contain_text(money(total))
        expect(row).to_contain_text(UNIT[language])
        fits(staff, "main ul.rows")
        buttons_tappable(staff)

    each_language(
        staff, url, "3_transfers", HEADINGS["transfers"], data, transfers_page
    )
    staff.locator(f'main a[href="/units/transfers/{payment.pk}/"]').click()
    staff.wait_for_url(f"{url}/units/transfers/{payment.pk}/")

    def receive_page(language):
        expect(staff.locator("main dl.facts")).to_contain_text(quoted)
        expect(staff.locator("main dl.facts")).to_contain_text(money(total))
        fits(staff, "main form")
        buttons_tappable(staff)

    each_language(
        staff, url, "3_transfer_record", HEADINGS["receive"], data, receive_page
    )
    staff.fill("#id_bank_reference", BANK_REFERENCE)
    staff.fill("#id_amount", f"{total:.2f}")
    staff.locator("main form[method=post] button[type=submit]").click()
    staff.wait_for_url(f"{url}/units/transfers/")
    expect(staff.locator("main ul.rows li.row").filter(has_text=quoted)).to_have_count(
        0
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert set(checkout.orders.values_list("status", flat=True)) == {OrderStatus.PAID}

    # --- 4. The farmers ship ----------------------------------------------------
    for n, order in enumerate(orders):
        order_ship(
            order=order,
            actor=order.farmer.user,
            carrier="sf",
            tracking_number=f"SF1234567890{n:02d}",
        )

    # Nothing of it is a sale yet: the goods are not accepted (the 832 rule).
    official = new_phone()
    sign_in(official, url, OFFICIAL, "/reports/")
    rollups.rebuild_dirty()  # the beat job's rebuild of the days changed
    county_report(official, url, county)
    expect(official.locator("main #figure-gmv dd")).to_have_text(money(0))
    expect(official.locator("main #figure-unit_sales dd")).to_have_text(money(0))

    # --- 5. The buyer accepts: one storefront's in part, the others' whole ----
    unit_orders = {
        uo.order.farmer.shop_name: uo
        for uo in UnitOrder.objects.filter(unit=unit).select_related("order__farmer")
    }
    part = unit_orders[PART]
    buyer_phone.goto(f"{url}/units/")
    row = buyer_phone.locator("main #orders li.row").filter(has_text=PART)
    expect(row.locator("a.button")).to_have_attribute(
        "href", f"/units/orders/{part.pk}/accept/"
    )
    tappable(buyer_phone, "main #orders a.button")
    row.locator("a.button").click()
    buyer_phone.wait_for_url(f"{url}/units/orders/{part.pk}/accept/")
    rice = part.order.lines.get(title=REFUSED[0])

    def accept_form(language):
        expect(buyer_phone.locator(f"#id_line_{rice.pk}")).to_have_value("200")
        fits(buyer_phone, "main form")
        buttons_tappable(buyer_phone)

    each_language(
        buyer_phone, url, "5_accept_form", HEADINGS["accept"], data, accept_form
    )
    buyer_phone.fill(f"#id_line_{rice.pk}", str(rice.quantity - REFUSED[1]))
    reason = "20 袋受潮结块"
    buyer_phone.fill("#id_reason", reason)
    buyer_phone.locator("main form button[type=submit]").click()
    buyer_phone.wait_for_url(f"{url}/units/{unit.pk}/#orders")
    for shop, unit_order in unit_orders.items():
        if shop == PART:
            continue
        buyer_phone.goto(f"{url}/units/")
        buyer_phone.locator(
            f'main #orders a.button[href="/units/orders/{unit_order.pk}/accept/"]'
        ).click()
        buyer_phone.wait_for_url(f"{url}/units/orders/{unit_order.pk}/accept/")
        buyer_phone.locator("main form button[type=submit]").click()
        buyer_phone.wait_for_url(f"{url}/units/{unit.pk}/#orders")
    refused = rice.unit_price * REFUSED[1]
    assert refused == Decimal("1050.00")
    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.COMPLETED

    buyer_phone.goto(f"{url}/units/orders/{part.pk}/accept/")

    def decided(language):
        decision = buyer_phone.locator("main #decision")
        expect(decision).to_contain_text(money(refused))
        expect(decision).to_contain_text(reason)
        expect(decision.locator("li.row")).to_have_count(2)
        # Decided once: no acceptance form, only the rating's.
        expect(buyer_phone.locator("main form[method=post]")).to_have_count(1)
        expect(buyer_phone.locator("main #rating form")).to_have_count(1)
        fits(buyer_phone, "main #decision")
        fits(buyer_phone, "main #rating")
        inside(buyer_phone, "li.row > span", "main #decision")
        buttons_tappable(buyer_phone)

    each_language(
        buyer_phone,
        url,
        "5_accept_decided",
        HEADINGS["accept"],
        [*data, reason],
        decided,
    )
    # The unit rates the supplier (the farmer's assistant reads it).
    rating = buyer_phone.locator("main #rating form")
    rating.locator("input[name=stars][value='4']").check()
    rating.locator("textarea[name=comment]").fill("米有 20 袋受潮，其余很好")
    rating.locator("button[type=submit]").click()
    buyer_phone.wait_for_url(f"{url}/units/orders/{part.pk}/accept/#rating")
    expect(buyer_phone.locator("main #rating")).to_contain_text("米有 20 袋受潮")
    assert part.__class__.objects.get(pk=part.pk).rating.stars == 4

    # --- 6. The farmers upload their invoices; the unit downloads them ---------
    pdf_path = tmp_path / "invoice.pdf"
    pdf = invoice_pdf(pdf_path)
    invoices = {}
    for n, (shop, unit_order) in enumerate(unit_orders.items()):
        farmer = new_phone()
        invoices[shop] = f"2552000{n + 1}"
        upload_invoice(
            farmer, url, unit_order, invoices[shop], pdf_path, data, pages=n == 0
        )
        farmer.close()

    buyer_phone.goto(f"{url}/units/orders/{part.pk}/accept/")
    documents = buyer_phone.locator("main #documents")
    expect(documents).to_contain_text(invoices[PART])
    with buyer_phone.expect_download() as download:
        documents.locator(f'a[href="/units/orders/{part.pk}/invoice/"]').click()
    assert Path(download.value.path()).read_bytes() == pdf
    with buyer_phone.expect_download() as download:
        documents.locator(f'a[href="/units/orders/{part.pk}/receipt/"]').click()
    receipt = PdfReader(download.value.path()).pages[0].extract_text()
    assert part.order.number in receipt and UNIT["zh-hans"] in receipt
    assert money(part.order.total - refused) in receipt  # paid and kept
    each_language(
        buyer_phone,
        url,
        "6_order_documents",
        HEADINGS["accept"],
        [*data, reason, *invoices.values(), "米有 20 袋受潮，其余很好"],
        lambda language: fits(buyer_phone, "main #documents"),
    )

    # --- 7. The unit's page: bought from poverty counties, and still to buy ----
    bought = total - refused
    assert bought == Decimal("48900.00")
    still = reserved - bought
    assert still == Decimal("11100.00")
    percent = f"{bought / reserved * 100:.1f}%"  # 81.5%
    admin.goto(f"{url}/units/")

    def quota(language):
        expect(admin.locator("main #quota-bought")).to_have_text(
            f"{money(bought)} · {percent}"
        )
        expect(admin.locator("main #quota-remaining")).to_have_text(money(still))
        expect(admin.locator("main #quota progress")).to_have_attribute(
            "value", f"{bought / reserved * 100:.1f}"
        )
        for shop in SHOPS:
            expect(
                admin.locator("main #orders li.row").filter(has_text=shop)
            ).to_contain_text(ACCEPTED[language])
        fits(admin, "main #quota")
        inside(admin, "dd", "main #quota")
        fits(admin, "main #orders")
        buttons_tappable(admin)

    each_language(admin, url, "7_unit_bought", UNIT, [*data, "食堂采购"], check=quota)

    # The admin's report of the year: by month, county of origin and category.
    admin.locator(f'main #quota a[href="/reports/units/?unit={unit.pk}"]').click()
    admin.wait_for_url(f"{url}/reports/units/?unit={unit.pk}")

    def unit_report(language):
        main = admin.locator("main")
        expect(main.locator("#figure-bought dd")).to_have_text(money(bought))
        expect(main.locator("#figure-remaining dd")).to_have_text(money(still))
        expect(main.locator("#table-by_county tbody tr")).to_have_count(1)
        fits(admin, "main .figures-grid")
        fits(admin, "main #table-by_county")

    each_language(
        admin,
        url,
        "7_unit_report",
        HEADINGS["unit_report"],
        [*data, county.name_en, "CSV", "XLSX"],
        check=unit_report,
    )

    # --- 8. The county sales report counts the accepted goods only -----------
    rollups.rebuild_dirty()
    county_report(official, url, county)
    # From the definition: each acceptance line's accepted quantity at its price.
    accepted = sum(
        row.accepted * row.line.unit_price
        for row in AcceptanceLine.objects.filter(
            acceptance__unit_order__unit=unit
        ).select_related("line")
    )
    assert accepted == bought

    def report(language):
        main = official.locator("main")
        expect(main.locator("#figure-gmv dd")).to_have_text(money(accepted))
        expect(main.locator("#figure-unit_sales dd")).to_have_text(money(accepted))
        expect(main.locator("#figure-retail dd")).to_have_text(money(0))
        expect(main.locator("#figure-unit_orders dd")).to_have_text("3")
        expect(main.locator("#figure-refunds dd")).to_have_text(money(0))
        fits(official, "main .figures-grid")

    # The report's own data: the farmers' villages, the export formats, and
    # GMV, which Chinese reports write so too.
    villages = [u.order.farmer.household.village for u in unit_orders.values()]
    shown = [*data, *(v.name for v in villages), *(v.name_en for v in villages)]
    shown = [name for name in shown if name] + ["XLSX", "CSV", "GMV"]
    each_language(
        official, url, "8_county_report", HEADINGS["report"], shown, check=report
    )
