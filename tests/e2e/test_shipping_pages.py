"""The delivery pages of farmers, officials and assistants on a 390×844 phone,
in Chinese and in English: the farmer's shipping fees (saved from the phone),
an official's pickup points (one opened from the phone), and the buyers'
reviews a farmer replies to. Each page is checked for its heading in the
reader's language, no sideways scroll and no words of the other language
outside the data it shows. Screenshots: tests/e2e/artifacts/shipping_*.png."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductStatus
from counties.models import Division
from orders.services.transitions import order_complete, order_ship
from reviews.models import Review
from reviews.services import review_write
from shipping.models import PickupPoint
from shipping.selectors import terms_for
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.e2e.test_money_pages import check_language, in_chinese, in_english
from tests.factories import (
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    place_checkout,
)
from tests.settlement.conftest import pay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("zh-hans", "en")
HEADINGS = {
    "fees": {"zh-hans": "运费设置", "en": "Shipping fees"},
    "points": {"zh-hans": "自提点", "en": "Pickup points"},
    "new_point": {"zh-hans": "开设自提点", "en": "Open a pickup point"},
    "reviews": {"zh-hans": "买家评价", "en": "Buyers' reviews"},
}


def each_language(page, url, name, heading, data=()) -> None:
    here = page.url
    for language in LANGUAGES:
        (in_english if language == "en" else in_chinese)(page, url)
        page.goto(here)
        check_language(page, language, heading[language], data)
        phone_snapshot(page, f"shipping_{name}_{language.replace('-', '_')}")
    in_chinese(page, url)


def test_fees_pickup_points_and_reviews_on_a_phone(live_server, new_phone):
    url = live_server.url
    provinces = list(
        Division.objects.filter(level=Division.Level.PROVINCE).values_list(
            "name", flat=True
        )
    )
    county = CountyFactory(name="巴东县", name_en="Badong County", province="湖北省")
    other = CountyFactory(name="丙县", name_en="Bing County", province="贵州省")
    counties = [county.name, county.name_en, other.name, other.name_en]
    farmer = FarmerFactory(
        user__username="farmer-li",
        user__role=Role.FARMER,
        shop_name="李家山米业",
        household__village__county=county,
        ships_free=False,
    )

    # The farmer's shipping fees: the default, changed on the phone.
    phone = new_phone()
    sign_in(phone, url, "farmer-li", "/farmer/")
    phone.goto(f"{url}/shipping/")
    phone.wait_for_url(f"{url}/shipping/{farmer.pk}/")
    each_language(
        phone, url, "1_fees", HEADINGS["fees"], [farmer.shop_name, *provinces]
    )
    form = phone.locator("main form")
    form.locator("input[name=first]").fill("10")
    form.locator("input[name=offers_pickup]").check()
    form.locator("input[name='group-1-provinces'][value='460000']").check()
    form.locator("input[name='group-1-first']").fill("12")
    form.locator("input[name='group-1-additional']").fill("6")
    form.locator("button[type=submit]").click()
    phone.wait_for_url(f"{url}/shipping/{farmer.pk}/")
    expect(phone.locator("ul.messages .message-success")).to_have_count(1)
    terms = terms_for([farmer.pk])[farmer.pk]
    assert terms.first == Decimal("10.00")
    assert terms.groups["460000"] == (Decimal("12.00"), Decimal("6.00"))

    # An official of the county opens a pickup point.
    official = UserFactory(username="official-bing", role=Role.OFFICIAL)
    official.counties.add(county, other)
    office = new_phone()
    sign_in(office, url, "official-bing", "/reports/")
    office.goto(f"{url}/shipping/points/new/")
    each_language(office, url, "2_new_point", HEADINGS["new_point"], counties)
    form = office.locator("main form")
    form.locator("select[name=county]").select_option(str(county.pk))
    form.locator("input[name=name]").fill("石板村服务站")
    form.locator("select[name=kind]").select_option("station")
    form.locator("input[name=address]").fill("石板村村委会旁")
    form.locator("input[name=opening_hours]").fill("每天 8:00–18:00")
    form.locator("button[type=submit]").click()
    office.wait_for_url(f"{url}/shipping/points/")
    point = PickupPoint.objects.get()
    assert (point.county, point.active) == (county, True)
    each_language(
        office,
        url,
        "3_points",
        HEADINGS["points"],
        [point.name, "8:00–18:00", "每天", *counties],
    )

    # A buyer's review of the farmer's rice, which the farmer answers.
    rice = ProductFactory(
        farmer=farmer, title="高山香米", status=ProductStatus.ACTIVE, stock=10
    )
    checkout = place_checkout(UserFactory(), [(rice, 1)])
    pay(checkout)
    order = checkout.orders.get()
    order_ship(order=order, actor=farmer.user, carrier="other", tracking_number="E1234")
    order = order_complete(order=order, actor=order.buyer)
    review_write(line=order.lines.get(), buyer=order.buyer, rating=4, comment="米很香")
    phone.goto(f"{url}/reviews/")
    each_language(
        phone,
        url,
        "4_reviews",
        HEADINGS["reviews"],
        [rice.title, farmer.shop_name, "米很香"],
    )
    phone.locator("main details summary").first.click()
    reply = phone.locator("main form[action$='/reply/']")
    reply.locator("input[name=text]").fill("谢谢支持")
    reply.locator("button[type=submit]").click()
    phone.wait_for_url(f"{url}/reviews/")
    assert Review.objects.get().reply == "谢谢支持"
