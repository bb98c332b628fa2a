"""In a real browser on 390×844 phone screens, the money of one order goes from
the buyer to the farmer's bank account: a buyer fills the cart on the product
page, checks out and pays on the simulated gateway; the farmer ships it and the
buyer confirms receipt; the farmer enters a bank payout account (a UnionPay
card number with a wrong check digit is refused first, and nothing is saved);
their assistant verifies it; the test moves time past the hold; staff run the
payouts, and the batch pays the farmer the order's total, the ledger balancing;
the farmer sees the payout, the paid-out total and the account masked on their
earnings page, and the month's figures on their home. The earnings page and the
batch page are also shown in English, switched with the header's switcher.

Elements are found by ids, names and hrefs, not by visible text (except the
amounts and the masked number, which are data). Screenshots are saved under
tests/e2e/artifacts/ as money_journey_*.png."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Checkout, OrderStatus, PaymentStatus
from settlement.models import Payout, PayoutAccount, PayoutBatch, PayoutStatus
from settlement.services.earnings import release_due_earnings
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.factories import (
    AddressFactory,
    AssistantFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD = "6222021234567890128"  # a UnionPay card number; its Luhn check digit holds
WRONG_CARD = "6222021234567890127"  # the same with the check digit off by one
MASKED = "•••• 0128"


def snapshot(page, name):
    phone_snapshot(page, f"money_journey_{name}")


def to_english(page, url, path):
    """Switch the page to English with the header's language switcher."""
    page.locator('header .language-switcher button[value="en"]').click()
    page.wait_for_url(f"{url}{path}")
    page.wait_for_selector('html[lang="en"]')


def test_an_orders_money_reaches_the_farmers_bank_account(live_server, new_phone):
    url = live_server.url

    # 0. Farmer Li (assistant Wang's) sells honey; a buyer with an address; staff.
    wang = AssistantFactory(user__username="assistant-wang")
    li = farmer_of(
        wang,
        user__username="farmer-li",
        user__role=Role.FARMER,
        shop_name="李家山花蜂场 Li's Hill Apiary",
        slug="li-hill-apiary",
    )
    honey = ProductFactory(
        farmer=li, title="山花蜂蜜 Hill honey", status=ProductStatus.ACTIVE, stock=20
    )
    buyer = UserFactory(username="buyer-chen", role=Role.BUYER)
    AddressFactory(buyer=buyer, recipient="陈静")
    UserFactory(username="staff-zhou", role=Role.STAFF)

    # 1. The buyer adds two jars on the product page, checks out and pays.
    shopper = new_phone()
    sign_in(shopper, url, "buyer-chen", "/orders/")
    shopper.goto(f"{url}/products/{honey.pk}/")
    form = shopper.locator("main form.add-to-cart")
    form.locator("input[name=quantity]").fill("2")
    form.locator("button[type=submit]").click()
    shopper.wait_for_url(f"{url}/orders/cart/")
    expect(
        shopper.locator(f"main #line-{honey.pk} input[name=quantity]")
    ).to_have_value("2")
    shopper.locator('main a[href="/orders/checkout/"]').click()
    shopper.wait_for_url(f"{url}/orders/checkout/")
    shopper.locator("#place-order input[name=address]").check()
    shopper.locator("#place-order button[name=place]").click()
    shopper.wait_for_url(re.compile(rf"^{re.escape(url)}/orders/checkout/\d+/$"))
    placed = Checkout.objects.get(buyer=buyer)
    order = placed.orders.get()
    assert order.farmer == li
    shopper.locator(
        f'main form[action="/orders/checkout/{placed.pk}/pay/"] button[type=submit]'
    ).click()
    payment = placed.payments.get()
    shopper.wait_for_url(f"{url}/orders/gateway/{payment.reference}/")
    shopper.locator("main form[method=post] button[type=submit]").click()
    shopper.wait_for_url(f"{url}/orders/")
    expect(shopper.locator("main .badge.status-paid")).to_have_count(1)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    total = order.total
    assert total >= honey.price * 2
    shown_total = f"¥{total:.2f}"

    # 2. The farmer signs in and ships it with a tracking number.
    farmer = new_phone()
    sign_in(farmer, url, "farmer-li", "/farmer/")
    farmer.goto(f"{url}/orders/to-ship/")
    farmer.locator(f'main a[href="/orders/{order.pk}/"]').click()
    farmer.wait_for_url(f"{url}/orders/{order.pk}/")
    ship_form = farmer.locator("main form#ship-form")
    ship_form.locator("[name=carrier]").select_option("ems")
    ship_form.locator("[name=tracking_number]").fill("EM100120020CN")
    ship_form.locator("button[type=submit]").click()
    farmer.wait_for_url(f"{url}/orders/to-ship/")
    expect(farmer.locator(f'main a[href="/orders/{order.pk}/"]')).to_have_count(0)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    # 3. The buyer sees it shipped and confirms receipt: the farmer earns it.
    shopper.goto(f"{url}/orders/{order.pk}/")
    expect(shopper.locator("main .tracking")).to_contain_text("EM100120020CN")
    shopper.locator(
        f'main form[action="/orders/{order.pk}/complete/"] button[type=submit]'
    ).click()
    expect(shopper.locator("main h1 .badge.status-completed")).to_have_count(1)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    farmer.goto(f"{url}/farmer/earnings/")
    expect(farmer.locator("main #figure-pending dd").first).to_have_text(shown_total)
    expect(farmer.locator("main #figure-available dd").first).to_have_text("¥0.00")
    expect(
        farmer.locator(f'main #entries a[href="/orders/{order.pk}/"]')
    ).to_have_count(1)

    # 4. The farmer enters a bank account; a wrong check digit is refused first.
    farmer.locator('main #payout-account a[href="/farmer/earnings/account/"]').click()
    farmer.wait_for_url(f"{url}/farmer/earnings/account/")
    account_form = farmer.locator("main form[method=post]")

    def enter_account(number):
        account_form.locator("select[name=method]").select_option("bank")
        account_form.locator("input[name=holder_name]").fill("李大山")
        account_form.locator("input[name=bank_name]").fill("中国农业银行 丙县支行")
        account_form.locator("input[name=number]").fill(number)
        account_form.locator("button[type=submit]").click()

    enter_account(WRONG_CARD)
    # The same page again, the number's field marked with its error.
    expect(account_form.locator(".field-number.field-invalid .error")).to_have_count(1)
    assert farmer.url == f"{url}/farmer/earnings/account/"
    assert not PayoutAccount.objects.filter(farmer=li).exists()
    snapshot(farmer, "1_account_form_error")

    enter_account(CARD)
    farmer.wait_for_url(f"{url}/farmer/earnings/")
    expect(farmer.locator("main #payout-account .number")).to_have_text(MASKED)
    expect(farmer.locator("main #payout-account .badge.warn")).to_have_count(1)
    saved = PayoutAccount.objects.get(farmer=li)
    assert (saved.method, saved.number, saved.verified) == ("bank", CARD, False)

    # 5. Assistant Wang sees the account to verify and verifies it.
    helper = new_phone()
    sign_in(helper, url, "assistant-wang", "/assistant/")
    helper.goto(f"{url}/assistant/earnings/")
    row = helper.locator(f"main #farmer-{li.pk}")
    expect(row.locator(".badge.warn")).to_have_count(1)
    expect(row).to_contain_text(shown_total)  # on hold
    snapshot(helper, "2_assistant_farmers")
    row.locator(f'a[href="/assistant/earnings/{li.pk}/account/"]').click()
    helper.wait_for_url(f"{url}/assistant/earnings/{li.pk}/account/")
    current = helper.locator("main #current-account")
    expect(current).to_contain_text(MASKED)
    current.locator(
        f'form[action="/assistant/earnings/{li.pk}/verify/"] button[type=submit]'
    ).click()
    expect(current.locator(".badge.ok")).to_have_count(1)
    expect(current.locator("form")).to_have_count(0)
    assert CARD not in helper.content()
    snapshot(helper, "3_assistant_verified")
    saved.refresh_from_db()
    assert saved.verified and saved.verified_by == wang.user

    # 6. The test moves time past the hold: the earning becomes available.
    assert release_due_earnings(now=timezone.now() + timedelta(days=8)) == 1

    # 7. Staff run the payouts after the confirmation: one batch, one payout.
    staff = new_phone()
    sign_in(staff, url, "staff-zhou", "/admin/")
    staff.goto(f"{url}/staff/payouts/")
    staff.locator('main a[href="/staff/payouts/run/"]').click()
    staff.wait_for_url(f"{url}/staff/payouts/run/")
    due = staff.locator("main ul.rows li.row")
    expect(due).to_have_count(1)
    expect(due.locator(".price")).to_have_text(shown_total)
    expect(due.locator(".badge.ok")).to_have_count(1)
    assert not PayoutBatch.objects.exists()
    snapshot(staff, "4_staff_run_confirm")
    staff.locator("main form[method=post] button[type=submit]").click()
    staff.wait_for_url(f"{url}/staff/payouts/")
    batch = PayoutBatch.objects.get()
    listed = staff.locator(f"main #batch-{batch.pk}")
    expect(listed.locator(".price")).to_have_text(shown_total)
    payout = Payout.objects.get()
    assert (payout.farmer, payout.amount, payout.status) == (
        li,
        total,
        PayoutStatus.SENT,
    )
    assert (payout.batch, batch.total) == (batch, total)
    call_command("check_ledger")  # raises, naming the mismatch, if it does not hold

    listed.locator(f'a[href="/staff/payouts/{batch.pk}/"]').click()
    staff.wait_for_url(f"{url}/staff/payouts/{batch.pk}/")
    line = staff.locator(f"main #payout-{payout.pk}")
    expect(line.locator(".price")).to_have_text(shown_total)
    expect(line).to_contain_text(MASKED)
    assert CARD not in staff.content()
    snapshot(staff, "5_staff_batch_zh_hans")
    to_english(staff, url, f"/staff/payouts/{batch.pk}/")
    expect(line.locator(".price")).to_have_text(shown_total)
    snapshot(staff, "6_staff_batch_en")

    # 8. The farmer sees the payout, the paid-out total and the masked account.
    def check_earnings():
        payouts = farmer.locator("main #payouts li.row")
        expect(payouts).to_have_count(1)
        expect(payouts.locator(".price")).to_have_text(shown_total)
        expect(payouts).to_contain_text(MASKED)
        expect(farmer.locator("main #figure-paid-out dd").first).to_have_text(
            shown_total
        )
        expect(farmer.locator("main #figure-available dd").first).to_have_text("¥0.00")
        expect(farmer.locator("main #payout-account .number")).to_have_text(MASKED)
        expect(farmer.locator("main #payout-account .badge.ok")).to_have_count(1)
        # Money in as +¥, out as -¥; the hold's end moves it, takes nothing.
        entries = farmer.locator("main #entries")
        expect(entries.locator(".entry-earning .price")).to_have_text(f"+{shown_total}")
        expect(entries.locator(".entry-release .price")).to_have_count(0)
        expect(entries.locator(".entry-payout .price")).to_have_text(f"-{shown_total}")
        assert CARD not in farmer.content()

    farmer.goto(f"{url}/farmer/earnings/")
    assert farmer.locator("html").get_attribute("lang") == "zh-hans"
    check_earnings()
    snapshot(farmer, "7_farmer_earnings_zh_hans")

    farmer.goto(f"{url}/farmer/")
    home = farmer.locator("main #earnings")
    expect(home).to_contain_text(shown_total)  # paid out this month
    expect(home.locator('a[href="/farmer/earnings/"]')).to_have_count(1)
    snapshot(farmer, "8_farmer_home_zh_hans")

    home.locator('a[href="/farmer/earnings/"]').click()
    farmer.wait_for_url(f"{url}/farmer/earnings/")
    to_english(farmer, url, "/farmer/earnings/")
    check_earnings()
    snapshot(farmer, "9_farmer_earnings_en")
