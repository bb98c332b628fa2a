"""Delivery and after-sales on a 390×844 phone, in Chinese and in English:

1. a buyer in Beijing orders from two storefronts with different shipping
   templates (by weight; by piece) and sees both fees at checkout before paying;
2. each farmer ships with a carrier from the list: a number of the wrong shape
   is refused with the carrier's example, the right one passes, and the buyer's
   order page links to the tracking page;
3. the buyer confirms receipt and opens a return for one line;
4. the farmer accepts it with a return address, then confirms the goods came
   back;
5. the refund is the line's value and its stock is back;
6. the buyer reviews the other product, and the review shows on its page.

Each photographed page is checked for its heading in the reader's language, no
sideways scroll and no words of the other language outside the data it shows.
Screenshots: tests/e2e/artifacts/delivery_*.png."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from aftersales.models import AfterSale
from catalogue.models import Product, ProductStatus
from orders.models import Checkout, OrderStatus, Refund, Shipment
from shipping.carriers import CARRIERS
from shipping.models import ChargeBy
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.e2e.test_money_pages import check_language, in_chinese, in_english
from tests.factories import (
    AddressFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    shipping_template,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("zh-hans", "en")
HEADINGS = {
    "checkout": {"zh-hans": "结算", "en": "Check out"},
    "case": {"zh-hans": "售后", "en": "After-sales"},
    "ask": {"zh-hans": "申请售后", "en": "Ask for after-sales"},
    "review": {"zh-hans": "写评价", "en": "Write a review"},
}
RETURN_ADDRESS = "李秀英 13900000000 湖北省恩施州巴东县 茶店子镇 1 号"


def shot(page, name: str, language: str = "zh-hans") -> None:
    phone_snapshot(page, f"delivery_{name}_{language.replace('-', '_')}")


def each_language(page, url, name, heading, data=()) -> None:
    here = page.url
    for language in LANGUAGES:
        (in_english if language == "en" else in_chinese)(page, url)
        page.goto(here)
        check_language(page, language, heading[language], data)
        shot(page, name, language)
    in_chinese(page, url)


def ship(page, url, order, carrier, wrong, right):
    page.goto(f"{url}/orders/{order.pk}/")
    form = page.locator("main form#ship-form")
    form.locator("[name=carrier]").select_option(carrier)
    form.locator("[name=tracking_number]").fill(wrong)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/{order.pk}/")
    example = CARRIERS[carrier].example
    expect(page.locator("ul.messages .message-error")).to_contain_text(example)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shot(page, f"ship_refused_{order.farmer.slug}")
    form = page.locator("main form#ship-form")
    form.locator("[name=carrier]").select_option(carrier)
    form.locator("[name=tracking_number]").fill(right)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/orders/to-ship/")


def test_fees_carriers_a_return_and_a_review(live_server, new_phone):
    url = live_server.url
    # Two storefronts: Li's on the default template (by weight: ¥8 the first
    # kg, ¥4 each further), Zhao's by piece (¥6, then ¥2 each).
    li = FarmerFactory(
        user__username="farmer-li",
        user__role=Role.FARMER,
        shop_name="李家山米业",
        slug="li-rice",
        ships_free=False,
    )
    zhao = FarmerFactory(
        user__username="farmer-zhao",
        user__role=Role.FARMER,
        shop_name="赵家核桃",
        slug="zhao-walnuts",
    )
    shipping_template(
        zhao,
        charge_by=ChargeBy.PIECE,
        first=Decimal("6.00"),
        additional=Decimal("2.00"),
    )
    rice, honey, walnuts = (
        ProductFactory(
            farmer=farmer,
            title=title,
            status=ProductStatus.ACTIVE,
            price=Decimal(price),
            net_weight_kg=Decimal(kg),
            stock=10,
        )
        for farmer, title, price, kg in (
            (li, "高山香米", "60.00", "5.000"),
            (li, "山花蜂蜜", "40.00", "0.500"),
            (zhao, "核桃", "30.00", "1.000"),
        )
    )
    buyer = UserFactory(username="buyer-zhou", role=Role.BUYER)
    AddressFactory(
        buyer=buyer,
        recipient="周敏",
        region="北京市 朝阳区",
        division_id="110105",
        street="建国路 8 号",
    )

    # 1. The buyer fills the cart and sees both fees at checkout: Li's parcel
    # weighs 5.5 kg (6 kg: 8 + 5 × 4 = ¥28), Zhao's is two pieces (6 + 2 = ¥8).
    shopper = new_phone()
    sign_in(shopper, url, "buyer-zhou", "/orders/")
    for product, quantity in ((rice, 1), (honey, 1), (walnuts, 2)):
        shopper.goto(f"{url}/products/{product.pk}/")
        form = shopper.locator("main form.add-to-cart")
        form.locator("input[name=quantity]").fill(str(quantity))
        form.locator("button[type=submit]").click()
        shopper.wait_for_url(f"{url}/orders/cart/")
    shopper.goto(f"{url}/orders/checkout/")
    fees = shopper.locator("main section.card p.shipping").all_inner_texts()
    assert sorted(fee.split()[-1] for fee in fees) == ["¥28.00", "¥8.00"]
    expect(shopper.locator("#place-order")).to_contain_text("¥196.00")
    data = [li.shop_name, zhao.shop_name, rice.title, honey.title, walnuts.title]
    data += ["北京市", "朝阳区", "建国路", "号", "周敏"]
    each_language(shopper, url, "1_checkout", HEADINGS["checkout"], data)
    shopper.locator("#place-order input[name=address]").check()
    shopper.locator("#place-order button[name=place]").click()
    shopper.wait_for_url(re.compile(rf"^{re.escape(url)}/orders/checkout/\d+/$"))
    placed = Checkout.objects.get(buyer=buyer)
    rice_order = placed.orders.get(farmer=li)
    walnut_order = placed.orders.get(farmer=zhao)
    assert (rice_order.shipping_fee, rice_order.total) == (
        Decimal("28"),
        Decimal("128"),
    )
    assert (walnut_order.shipping_fee, walnut_order.total) == (
        Decimal("8"),
        Decimal("68"),
    )
    shopper.locator(
        f'main form[action="/orders/checkout/{placed.pk}/pay/"] button[type=submit]'
    ).click()
    shopper.wait_for_url(re.compile(rf"^{re.escape(url)}/orders/gateway/"))
    shopper.locator("main form[method=post] button[type=submit]").click()
    shopper.wait_for_url(f"{url}/orders/")
    assert placed.payments.get().amount == Decimal("196.00")

    # 2. Each farmer ships: a number of another carrier's shape is refused.
    for farmer, order, carrier, wrong, right in (
        (li, rice_order, "sf", "YT1234567890123", "SF1234567890123"),
        (zhao, walnut_order, "yto", "SF1234567890123", "YT1234567890123"),
    ):
        page = new_phone()
        sign_in(page, url, farmer.user.username, "/farmer/")
        ship(page, url, order, carrier, wrong, right)
        assert Shipment.objects.get(order=order).tracking_number == right
    shopper.goto(f"{url}/orders/{rice_order.pk}/")
    link = shopper.locator("main .tracking a")
    assert link.get_attribute("href") == (
        "https://www.kuaidi100.com/chaxun?com=shunfeng&nu=SF1234567890123"
    )

    # 3. The buyer confirms receipt and asks to return one bag of rice.
    shopper.locator(
        f'main form[action="/orders/{rice_order.pk}/complete/"] button'
    ).click()
    shopper.wait_for_url(f"{url}/orders/{rice_order.pk}/")
    shopper.locator("main #ask-aftersales").click()
    shopper.wait_for_url(f"{url}/aftersales/orders/{rice_order.pk}/new/")
    rice_line = rice_order.lines.get(product=rice)
    honey_line = rice_order.lines.get(product=honey)
    order_data = [rice_order.number, li.shop_name, rice.title, honey.title]
    each_language(shopper, url, "3_ask_form", HEADINGS["ask"], order_data)
    form = shopper.locator("main form")
    form.locator("input[name=kind][value=return]").check()
    form.locator("select[name=reason]").select_option("damaged")
    form.locator(f"input[name=line_{rice_line.pk}]").fill("1")
    form.locator("textarea[name=details]").fill("袋子破了，米撒了一半")
    shot(shopper, "3_ask")
    form.locator("button[type=submit]").click()
    shopper.wait_for_url(re.compile(rf"^{re.escape(url)}/aftersales/\d+/$"))
    case = AfterSale.objects.get()
    assert (case.kind, case.amount) == ("return", Decimal("60.00"))

    # 4. The farmer accepts it with a return address, and the goods come back.
    farmer_page = new_phone()
    sign_in(farmer_page, url, "farmer-li", "/farmer/")
    farmer_page.goto(f"{url}/aftersales/{case.pk}/")
    each_language(
        farmer_page,
        url,
        "4_case_for_the_farmer",
        HEADINGS["case"],
        [*order_data, "袋子破了，米撒了一半"],
    )
    accept = farmer_page.locator("main form.move-accept")
    accept.locator("input[name=return_address]").fill(RETURN_ADDRESS)
    shot(farmer_page, "4_farmer_answers")
    accept.locator("button[type=submit]").click()
    farmer_page.wait_for_url(f"{url}/aftersales/{case.pk}/")
    case.refresh_from_db()
    assert case.status == AfterSale.Status.AWAITING_RETURN
    shopper.goto(f"{url}/aftersales/{case.pk}/")
    expect(shopper.locator("main .return-address")).to_have_text(RETURN_ADDRESS)
    each_language(
        shopper,
        url,
        "4_return_address",
        HEADINGS["case"],
        [rice_order.number, li.shop_name, rice.title, "袋子破了，米撒了一半"]
        + RETURN_ADDRESS.split(),
    )
    farmer_page.goto(f"{url}/aftersales/{case.pk}/")
    farmer_page.locator("main form.move-returned button[type=submit]").click()
    farmer_page.wait_for_url(f"{url}/aftersales/{case.pk}/")

    # 5. One bag's money back, and the bag back in stock.
    case.refresh_from_db()
    assert case.status == AfterSale.Status.REFUNDED
    assert Refund.objects.get(order=rice_order).amount == Decimal("60.00")
    assert Product.objects.get(pk=rice.pk).stock == 10
    assert Product.objects.get(pk=honey.pk).stock == 9
    shot(farmer_page, "5_refunded")

    # 6. The buyer reviews the honey, and the review shows on its page.
    shopper.goto(f"{url}/orders/{rice_order.pk}/")
    shopper.locator(f'main a[href="/reviews/lines/{honey_line.pk}/new/"]').click()
    shopper.wait_for_url(f"{url}/reviews/lines/{honey_line.pk}/new/")
    each_language(
        shopper, url, "6_review_form", HEADINGS["review"], [honey.title, li.shop_name]
    )
    form = shopper.locator("main form")
    form.locator("input[name=rating][value='5']").check()
    form.locator("textarea[name=comment]").fill("蜂蜜很香，包装也好")
    shot(shopper, "6_review")
    form.locator("button[type=submit]").click()
    shopper.wait_for_url(f"{url}/orders/{rice_order.pk}/")
    shopper.goto(f"{url}/products/{honey.pk}/")
    expect(shopper.locator("main #reviews")).to_contain_text("蜂蜜很香，包装也好")
    expect(shopper.locator("main #reviews .review .stars")).to_have_text("★★★★★")
    village = li.household.village
    each_language(
        shopper,
        url,
        "6_product_page",
        {"zh-hans": honey.title, "en": honey.title},
        [honey.title, li.shop_name, honey.description, "北京市", "蜂蜜很香，包装也好"]
        + [village.name, village.county.name, village.county.name_en or "-"],
    )
