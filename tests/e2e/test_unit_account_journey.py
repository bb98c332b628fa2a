"""A work unit paying on account, and its staff shopping for themselves, on a
390×844 phone in Chinese and in English:

1. staff allow the unit to pay on account on its page;
2. its admin makes the staff link (shown once, with its QR code), and one of
   its staff, signed in on another phone, opens it and starts shopping as staff;
3. the unit's buyer chooses "on account" at the unit's checkout and places the
   order: the page after says the farmers ship now and the unit pays what it
   accepts afterwards, quoting the reference;
4. the farmer ships and the buyer accepts the goods (through the services, as
   those pages are tested in the unit journey): the unit's page shows what is
   due on account, the platform's account and the day to pay by;
5. staff find it on /units/transfers/ marked "on account" and record the
   transfer: nothing is due any more.

Each page is checked for its heading in the reader's language, no sideways
scroll, tappable buttons and no text of the other language outside the data
shown. Screenshots: tests/e2e/artifacts/unit_account_*.png."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from orders.models import Cart, Checkout, OrderStatus, PaymentStatus
from orders.providers.bank_transfer import transfer_reference
from orders.services.cart import cart_add
from orders.services.transitions import order_ship
from procurement.models import StaffShopper, UnitOrder
from procurement.selectors import invite_by_token
from procurement.services.acceptance import order_accept
from procurement.services.units import invite_accept, invite_create, unit_register
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.e2e.test_money_pages import check_language, fits, in_chinese, in_english
from tests.e2e.test_unit_journey import buttons_tappable, drawn_whole
from tests.factories import (
    AddressFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("zh-hans", "en")
UNIT = {"zh-hans": "雷山县人民医院", "en": "Leishan County People's Hospital"}
HEADINGS = {
    "unit": UNIT,
    "link": {"zh-hans": "职工购买链接", "en": "Staff link"},
    "staff": {"zh-hans": "以单位职工身份购买", "en": "Shop as a unit's staff"},
    "checkout": {"zh-hans": "为单位下单", "en": "Order for the unit"},
    "done": {"zh-hans": "下单成功", "en": "Order placed"},
    "transfers": {"zh-hans": "待到账的银行转账", "en": "Bank transfers awaited"},
    "receive": {"zh-hans": "登记银行转账", "en": "Record a bank transfer"},
    "report": {"zh-hans": "单位采购情况", "en": "A work unit's purchases"},
}
ON_ACCOUNT = {
    "zh-hans": "记账付款，验收后支付",
    "en": "Pay on account, after acceptance",
}
DUE = {"zh-hans": "记账待付", "en": "To pay on account"}


def shot(page, name: str, language: str) -> None:
    phone_snapshot(page, f"unit_account_{name}_{language.replace('-', '_')}")


def each_language(page, url, name, heading, data=(), check=None) -> None:
    here = page.url
    for language in LANGUAGES:
        (in_english if language == "en" else in_chinese)(page, url)
        page.goto(here)
        if check is not None:
            check(language)
        check_language(page, language, heading[language], data)
        buttons_tappable(page)
        shot(page, name, language)
    in_chinese(page, url)


def test_a_unit_pays_on_account_and_its_staff_shop_for_themselves(
    live_server, new_phone
):
    url = live_server.url
    county = CountyFactory(name="雷山县", name_en="Leishan County", province="贵州省")
    staff = UserFactory(username="staff-qian", role=Role.STAFF)
    unit, token = unit_register(
        name=UNIT["zh-hans"],
        name_en=UNIT["en"],
        kind="hospital",
        county=county,
        actor=staff,
    )
    admin = UserFactory(username="admin-he", role=Role.BUYER)
    invite_accept(invite=invite_by_token(token), user=admin)
    buyer = UserFactory(username="buyer-lu", role=Role.BUYER, first_name="陆")
    invite_accept(
        invite=invite_by_token(
            invite_create(unit=unit, role="buyer", note="", actor=admin)
        ),
        user=buyer,
    )
    address = AddressFactory(buyer=buyer, recipient="食堂 王师傅", street="人民路 8 号")
    farmer = FarmerFactory(
        shop_name="雷山茶叶合作社", household__village__county=county
    )
    tea = ProductFactory(
        farmer=farmer,
        title="雷山银球茶 250 克",
        price=Decimal("125.00"),
        stock=400,
        status="active",
    )
    data = [UNIT["zh-hans"], UNIT["en"], county.name, county.name_en, "贵州省"]
    data += [admin.username, buyer.username, "陆"]

    # 1. Staff allow paying on account.
    desk = new_phone()
    sign_in(desk, url, staff.username, "/admin/")
    desk.goto(f"{url}/units/{unit.pk}/")
    terms = desk.locator("main #terms")
    terms.locator("input[name=pays_on_account]").check()
    terms.locator("button[type=submit]").click()
    desk.wait_for_url(f"{url}/units/{unit.pk}/")
    expect(desk.locator("main #terms input[name=pays_on_account]")).to_be_checked()
    each_language(desk, url, "1_terms", HEADINGS["unit"], data)

    # 2. The admin makes the staff link; one of the staff opens it and joins.
    office = new_phone()
    sign_in(office, url, admin.username, "/units/")
    # The link is shown once, in answer to the button: made in each language
    # (each new link stops the one before), and the last one is sent.
    for language in LANGUAGES:
        (in_english if language == "en" else in_chinese)(office, url)
        office.goto(f"{url}/units/")
        office.locator("main #staff-link button[type=submit]").click()
        link = office.locator("#link").input_value()
        drawn_whole(office, ".qr svg")
        check_language(office, language, HEADINGS["link"][language], [*data, link])
        buttons_tappable(office)
        shot(office, "2_staff_link", language)
    nurse = UserFactory(username="nurse-tian", role=Role.BUYER)
    ward = new_phone()
    sign_in(ward, url, nurse.username, "/orders/")
    ward.goto(link)
    each_language(ward, url, "2_staff_join", HEADINGS["staff"], data)
    ward.locator("main form button[type=submit]").click()
    expect(ward.locator("main .badge.ok")).to_be_visible()
    assert StaffShopper.objects.get(user=nurse).unit == unit
    each_language(ward, url, "2_staff_joined", HEADINGS["staff"], data)

    # 3. The buyer orders on account.
    cart = Cart.objects.create(buyer=buyer)
    cart_add(cart=cart, product_id=tea.pk, quantity=120)
    phone = new_phone()
    sign_in(phone, url, buyer.username, "/units/")
    phone.goto(f"{url}/units/checkout/")
    form = phone.locator("main form#place-unit-order")
    deliver_by = timezone.localdate() + timedelta(days=5)
    form.locator("input[name=deliver_by]").fill(f"{deliver_by:%Y-%m-%d}")
    form.locator("input[name=purchase_reference]").fill("YY-2026-12")
    form.locator("input[name=provider][value=on_account]").check()
    shop = [farmer.shop_name, tea.title, "YY-2026-12", "食堂 王师傅", "人民路 8 号"]
    shop += address.region.split()
    each_language(phone, url, "3_checkout", HEADINGS["checkout"], [*data, *shop])
    form = phone.locator("main form#place-unit-order")
    form.locator("input[name=deliver_by]").fill(f"{deliver_by:%Y-%m-%d}")
    form.locator("input[name=purchase_reference]").fill("YY-2026-12")
    form.locator("input[name=provider][value=on_account]").check()
    form.locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r".*/orders/checkout/\d+/$"))
    checkout = Checkout.objects.get(buyer=buyer)
    order = checkout.orders.get()
    assert (checkout.provider, order.status) == ("on_account", OrderStatus.PAID)
    payment = checkout.payments.get()
    reference = transfer_reference(payment)

    def done(language):
        expect(phone.locator("main #bank-transfer h2")).to_have_text(
            ON_ACCOUNT[language]
        )
        expect(phone.locator("main #bank-transfer")).to_contain_text(reference)

    account = [
        "C县电商公共服务中心（演示）",
        "中国农业银行C县支行（演示）",
        "6228480000000000000",
    ]
    bits = [*data, *shop, order.number, reference, *account, "¥15000.00"]
    each_language(phone, url, "3_done", HEADINGS["done"], bits, done)

    # 4. Shipped and accepted: the unit's page shows what is due.
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E0009")
    order_accept(
        unit_order=UnitOrder.objects.get(order=order),
        actor=buyer,
        accepted={},
        reason="",
    )
    order.refresh_from_db()
    pay_by = timezone.localdate(order.completed_at) + timedelta(days=30)
    phone.goto(f"{url}/units/")
    dues = phone.locator("main #dues")

    def due(language):
        expect(dues.locator("h2")).to_have_text(DUE[language])
        expect(dues).to_contain_text(reference)
        expect(dues).to_contain_text("¥15000.00")
        expect(dues).to_contain_text(f"{pay_by:%Y-%m-%d}")

    more = [*bits, f"{pay_by:%Y-%m-%d}", order.number]
    each_language(phone, url, "4_unit_due", HEADINGS["unit"], more, due)

    # 5. Staff record the transfer.
    desk.goto(f"{url}/units/transfers/")
    row = desk.locator("main ul.rows li.row").filter(has_text=reference)
    expect(row).to_have_count(1)
    each_language(desk, url, "5_transfers", HEADINGS["transfers"], more)
    row.locator("a.button").click()
    desk.wait_for_url(f"{url}/units/transfers/{payment.pk}/")

    def receive(language):
        expect(desk.locator("main dl.facts")).to_contain_text(f"{pay_by:%Y-%m-%d}")

    each_language(desk, url, "5_receive", HEADINGS["receive"], more, receive)
    desk.fill("#id_bank_reference", "GH20261203001")
    desk.fill("#id_amount", "15000.00")
    desk.locator("main form button[type=submit]").click()
    desk.wait_for_url(f"{url}/units/transfers/")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    expect(
        desk.locator("main ul.rows li.row").filter(has_text=reference)
    ).to_have_count(0)

    # 6. The admin's report shows the unit's accepted goods apart from its
    # staff's own purchases (none completed yet).
    office.goto(f"{url}/reports/units/?unit={unit.pk}")

    def report(language):
        main = office.locator("main")
        expect(main.locator("#figure-accepted dd")).to_have_text("¥15000.00")
        expect(main.locator("#figure-staff dd")).to_have_text("¥0.00")
        fits(office, "main .figures-grid")
        fits(office, "main #table-by_month")

    data += [county.name_en, "CSV", "XLSX"]
    each_language(office, url, "6_unit_report", HEADINGS["report"], data, report)
