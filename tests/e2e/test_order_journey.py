"""In a real browser on a 390×844 phone screen, an order goes from cart to
completion: an anonymous buyer puts produce from two storefronts in the cart,
checks out, signs up on the way (the cart follows), adds an address, places the
order (one order per storefront) and pays on the simulated gateway; each farmer
signs in, finds only their own order to ship and ships it with a tracking number;
the buyer sees the tracking number on each order and confirms receipt.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language. Screenshots are saved under
tests/e2e/artifacts/ as order_journey_*.png."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from catalogue.models import ProductStatus
from notifications.models import Notification
from orders.models import (
    Cart,
    Checkout,
    Order,
    OrderStatus,
    PaymentProviderCode,
    PaymentStatus,
    Shipment,
)
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.factories import AssistantFactory, ProductFactory, farmer_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUYER = "buyer-chen"
BUYER_PASSWORD = "plum-blossom-harbour-58"
STOCK = 20


def snapshot(page, name):
    phone_snapshot(page, f"order_journey_{name}")


def add_to_cart(page, url, product, quantity):
    page.goto(f"{url}/products/{product.pk}/")
    form = page.locator("main form.add-to-cart")
    assert form.get_attribute("action") == "/orders/cart/add/"
    form.locator("input[name=quantity]").fill(str(quantity))
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/cart/")
    # The line is there with the quantity added.
    line = page.locator(f"main #line-{product.pk}")
    expect(line.locator("input[name=quantity]")).to_have_value(str(quantity))


def order_link(order):
    return f'a[href="/orders/{order.pk}/"]'


def test_an_order_goes_from_cart_to_completed(live_server, new_phone):
    url = live_server.url

    # 1. Two farmers in one county (each with their own storefront), assigned to an
    # assistant; farmer Li sells honey and tea, farmer Zhao sells walnuts.
    assistant = AssistantFactory(user__username="assistant-wang")
    li = farmer_of(
        assistant,
        user__username="farmer-li",
        user__role=Role.FARMER,
        shop_name="Li's Hill Apiary",
        slug="li-hill-apiary",
    )
    zhao = farmer_of(
        assistant,
        user__username="farmer-zhao",
        user__role=Role.FARMER,
        shop_name="Zhao's Walnut Grove",
        slug="zhao-walnut-grove",
    )
    honey = ProductFactory(
        farmer=li, title="Hill honey 山花蜂蜜", status=ProductStatus.ACTIVE, stock=STOCK
    )
    tea = ProductFactory(
        farmer=li,
        title="Green tea 高山绿茶",
        price="45.50",
        status=ProductStatus.ACTIVE,
        stock=STOCK,
    )
    walnuts = ProductFactory(
        farmer=zhao,
        title="Walnuts 核桃",
        price="32.00",
        status=ProductStatus.ACTIVE,
        stock=STOCK,
    )
    bought = {honey.pk: 2, tea.pk: 1, walnuts.pk: 3}

    # 2. An anonymous buyer fills the cart from both storefronts.
    buyer_page = new_phone()
    page = buyer_page
    add_to_cart(page, url, honey, 2)
    add_to_cart(page, url, tea, 1)
    add_to_cart(page, url, walnuts, 3)
    # One section per storefront, each linking to it.
    expect(page.locator("main section.card")).to_have_count(2)
    for farmer in (li, zhao):
        expect(
            page.locator(f'main section a[href="/shop/{farmer.slug}/"]')
        ).to_have_count(1)
    anonymous_cart = Cart.objects.get(buyer=None)
    assert anonymous_cart.items.count() == 3
    snapshot(page, "0_cart")

    # 3. Checking out asks them to sign up, and brings them back to checkout.
    page.locator('main a[href="/orders/checkout/"]').click()
    page.wait_for_url(f"{url}/accounts/sign-up/?next=/orders/checkout/")
    page.fill("#id_username", BUYER)
    page.fill("#id_email", "chen@example.com")
    page.fill("#id_password1", BUYER_PASSWORD)
    page.fill("#id_password2", BUYER_PASSWORD)
    snapshot(page, "1_sign_up")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/checkout/")
    buyer = User.objects.get(username=BUYER)
    assert buyer.role == Role.BUYER

    # The anonymous cart merged into the buyer's: the same lines, both storefronts.
    assert not Cart.objects.filter(pk=anonymous_cart.pk).exists()
    cart = Cart.objects.get(buyer=buyer)
    assert dict(cart.items.values_list("product_id", "quantity")) == bought
    shop_names = page.locator("main section.card h2").all_inner_texts()
    assert sorted(shop_names) == sorted([li.shop_name, zhao.shop_name])

    # 4. No address yet: the "add an address" form is there; they add one.
    expect(page.locator("main input[name=address]")).to_have_count(0)
    address_form = page.locator("main form:has(button[name=add_address])")
    details = page.locator("main details:has(button[name=add_address])")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    address_form.locator("#id_recipient").fill("陈静")
    address_form.locator("#id_phone").fill("13700001111")
    # Province, then city, then district: each list is filled from the last.
    address_form.locator("#id_province").select_option("420000")
    expect(address_form.locator("#id_city option[value='420100']")).to_have_count(1)
    address_form.locator("#id_city").select_option("420100")
    expect(address_form.locator("#id_district option[value='420111']")).to_have_count(1)
    address_form.locator("#id_district").select_option("420111")
    address_form.locator("#id_street").fill("珞喻路 129 号")
    snapshot(page, "2_add_address")
    address_form.locator("button[name=add_address]").click()
    # The page reloads at the same URL: wait for the address to be offered.
    address_choice = page.locator("#place-order input[name=address]")
    expect(address_choice).to_have_count(1)
    address = buyer.addresses.get()
    assert address.recipient == "陈静"

    # 5. They choose it, keep online payment and place the order.
    address_choice.check()
    simulated = page.locator(
        f"#place-order input[name=provider][value={PaymentProviderCode.SIMULATED}]"
    )
    expect(simulated).to_be_checked()
    snapshot(page, "3_checkout")
    page.locator("#place-order button[name=place]").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}/orders/checkout/\d+/$"))
    placed = Checkout.objects.get(buyer=buyer)
    assert page.url == f"{url}/orders/checkout/{placed.pk}/"
    li_order = Order.objects.get(checkout=placed, farmer=li)
    zhao_order = Order.objects.get(checkout=placed, farmer=zhao)
    assert placed.orders.count() == 2
    for order in (li_order, zhao_order):
        expect(page.locator("main " + order_link(order))).to_have_count(1)
    expect(page.locator("main .badge.status-pending_payment")).to_have_count(2)
    assert not Cart.objects.filter(buyer=buyer, items__isnull=False).exists()
    snapshot(page, "4_order_placed")

    # 6. They pay on the simulated gateway, and land on "my orders": both to ship.
    page.locator(
        f'main form[action="/orders/checkout/{placed.pk}/pay/"] button[type=submit]'
    ).click()
    page.wait_for_url(
        re.compile(rf"^{re.escape(url)}/orders/gateway/[0-9a-f-]{{36}}/$")
    )
    payment = placed.payments.get()
    assert page.url == f"{url}/orders/gateway/{payment.reference}/"
    snapshot(page, "5_gateway")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/")
    for order in (li_order, zhao_order):
        row = page.locator("main li.order").filter(has=page.locator(order_link(order)))
        expect(row.locator(".badge.status-paid")).to_have_count(1)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert set(placed.orders.values_list("status", flat=True)) == {OrderStatus.PAID}
    snapshot(page, "6_my_orders_paid")

    # 7. Each farmer signs in (on their own phone), finds only their own order to
    # ship, and ships it with a carrier and a tracking number.
    tracking = {li_order.pk: "EM100120020CN", zhao_order.pk: "SF778899001122"}
    for farmer, own, other, carrier in (
        (li, li_order, zhao_order, "ems"),
        (zhao, zhao_order, li_order, "sf"),
    ):
        name = farmer.user.username
        farmer_page = new_phone()
        sign_in(farmer_page, url, name, lands_on="/farmer/")
        farmer_page.goto(f"{url}/orders/to-ship/")
        expect(farmer_page.locator("main " + order_link(own))).to_have_count(1)
        expect(farmer_page.locator("main " + order_link(other))).to_have_count(0)
        expect(farmer_page.locator("main li.order")).to_have_count(1)
        snapshot(farmer_page, f"7_{name}_to_ship")

        farmer_page.locator("main " + order_link(own)).click()
        farmer_page.wait_for_url(f"{url}/orders/{own.pk}/")
        ship_form = farmer_page.locator("main form#ship-form")
        assert ship_form.get_attribute("action") == f"/orders/{own.pk}/ship/"
        ship_form.locator("[name=carrier]").select_option(carrier)
        ship_form.locator("[name=tracking_number]").fill(tracking[own.pk])
        snapshot(farmer_page, f"8_{name}_ship_form")
        ship_form.locator("button[type=submit]").click()
        # Back on the (same) list, which no longer has it to ship.
        farmer_page.wait_for_url(f"{url}/orders/to-ship/")
        expect(farmer_page.locator("main " + order_link(own))).to_have_count(0)
        own.refresh_from_db()
        assert own.status == OrderStatus.SHIPPED
        snapshot(farmer_page, f"9_{name}_shipped")

    # 8. The buyer sees each tracking number and confirms receipt.
    page = buyer_page
    for shop, order in (("li", li_order), ("zhao", zhao_order)):
        page.goto(f"{url}/orders/{order.pk}/")
        expect(page.locator("main .tracking")).to_contain_text(tracking[order.pk])
        expect(page.locator("main h1 .badge.status-shipped")).to_have_count(1)
        snapshot(page, f"10_{shop}_order_shipped")
        confirm = page.locator(
            f'main form[action="/orders/{order.pk}/complete/"] button[type=submit]'
        )
        confirm.click()
        # Redirected back to the same order page: wait for the new status.
        expect(page.locator("main h1 .badge.status-completed")).to_have_count(1)
        expect(confirm).to_have_count(0)
        assert page.url == f"{url}/orders/{order.pk}/"
        snapshot(page, f"11_{shop}_order_completed")

    page.goto(f"{url}/orders/")
    expect(page.locator("main li.order .badge.status-completed")).to_have_count(2)
    snapshot(page, "12_my_orders_completed")

    # 9. What the database says.
    assert set(placed.orders.values_list("status", flat=True)) == {
        OrderStatus.COMPLETED
    }
    assert {order.farmer_id for order in placed.orders.all()} == {li.pk, zhao.pk}
    assert dict(li_order.lines.values_list("product_id", "quantity")) == {
        honey.pk: 2,
        tea.pk: 1,
    }
    assert dict(zhao_order.lines.values_list("product_id", "quantity")) == {
        walnuts.pk: 3
    }
    for product in (honey, tea, walnuts):
        product.refresh_from_db()
        assert product.stock == STOCK - bought[product.pk], product.title
    for order in (li_order, zhao_order):
        shipment = Shipment.objects.get(order=order)
        assert shipment.tracking_number == tracking[order.pk]
        assert shipment.shipped_by == order.farmer.user
    for farmer, order in ((li, li_order), (zhao, zhao_order)):
        # Each farmer is told of their own paid order, and of no other.
        paid = Notification.objects.filter(
            recipient=farmer.user, kind=Notification.Kind.ORDER_PAID
        )
        assert list(paid.values_list("order_id", flat=True)) == [order.pk]
    assert set(
        Notification.objects.filter(
            recipient=buyer, kind=Notification.Kind.ORDER_SHIPPED
        ).values_list("order_id", flat=True)
    ) == {li_order.pk, zhao_order.pk}
