"""Addresses in a district chosen from the administrative divisions: the
form's three lists (each filled from the one before, by the page or by its
JSON), the deepest division required, regions typed before the divisions (and
by the API's older clients) located best effort, and the migration's pass
over the address book."""

import pytest
from django.urls import reverse

from catalogue.models import ProductStatus
from counties.divisions import division_parse
from counties.models import Division
from orders.forms import AddressForm
from orders.models import Address, Cart
from orders.services.cart import cart_add
from orders.services.checkout import address_add, addresses_locate
from tests import english
from tests.factories import AddressFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
# Messages in English (the fixtures of tests/english.py).
client, in_english = english.client, english.in_english


PARSED = [
    ("湖北省 恩施州 巴东县", "422823"),
    ("湖北省 恩施土家族苗族自治州 巴东县", "422823"),
    ("北京市 朝阳区", "110105"),  # the municipality's city left out
    ("湖北省武汉市洪山区", "420111"),  # no spaces
    ("四川 凉山州 昭觉县", "513431"),
    ("湖北", "420000"),  # only the province: the buyer says the rest
    ("内蒙古 呼和浩特市", "150100"),
    ("某地某处", None),
    ("", None),
]


@pytest.mark.parametrize("text, code", PARSED)
def test_a_typed_region_is_located_best_effort(text, code):
    found = division_parse(text, Division.objects.all())
    assert (found.pk if found else None) == code


def bound(**data):
    values = {"recipient": "王芳", "phone": "13900000000", "street": "1 号", **data}
    return AddressForm(values)


def test_the_form_fills_each_list_from_the_one_before_and_wants_the_deepest():
    blank = AddressForm()
    assert len(blank.fields["province"].choices) == 1 + 34
    assert blank.fields["city"].choices == [("", "Choose…")]
    province_only = bound(province="420000")
    assert not province_only.is_valid()
    assert "Choose the city and the district too." in province_only.errors["city"]
    cities = dict(province_only.fields["city"].choices)
    assert cities["420100"] == "武汉市" and "110100" not in cities
    city_only = bound(province="420000", city="420100")
    assert not city_only.is_valid()
    assert "Choose the city and the district too." in city_only.errors["district"]
    another_province = bound(province="420000", city="110100", district="110105")
    assert not another_province.is_valid()
    assert "city" in another_province.errors
    whole = bound(province="420000", city="420100", district="420111")
    assert whole.is_valid(), whole.errors
    assert whole.cleaned_data["division"].pk == "420111"
    # A city with no districts below it is enough.
    dongguan = bound(province="440000", city="441900")
    assert dongguan.is_valid(), dongguan.errors


def test_an_address_chosen_from_the_lists_is_named_by_them():
    buyer = UserFactory()
    address = address_add(
        buyer=buyer,
        recipient="王芳",
        phone="13900000000",
        street="珞喻路 1 号",
        division=Division.objects.get(pk="420111"),
    )
    assert address.region == "湖北省 武汉市 洪山区"
    assert address.province == "420000"


def test_the_checkout_page_saves_an_address_from_the_lists(client):
    buyer = UserFactory()
    cart_add(
        cart=Cart.objects.create(buyer=buyer),
        product_id=ProductFactory(status=ProductStatus.ACTIVE).pk,
        quantity=1,
    )
    client.force_login(buyer)
    client.post(
        reverse("orders:checkout"),
        {
            "add_address": "1",
            "recipient": "王芳",
            "phone": "13900000000",
            "province": "110000",
            "city": "110100",
            "district": "110105",
            "street": "建国路 1 号",
        },
    )
    address = Address.objects.get(buyer=buyer)
    assert (address.division_id, address.region) == ("110105", "北京市 朝阳区")


def test_the_api_takes_a_district_code_or_a_typed_region(client):
    buyer = UserFactory()
    client.force_login(buyer)
    by_code = client.post(
        "/api/addresses/",
        {
            "recipient": "王芳",
            "phone": "13900000000",
            "division": "420111",
            "street": "1 号",
        },
        content_type="application/json",
    )
    assert by_code.status_code == 201, by_code.content
    assert by_code.json()["region"] == "湖北省 武汉市 洪山区"
    typed = client.post(
        "/api/addresses/",
        {
            "recipient": "王芳",
            "phone": "13900000000",
            "region": "湖北 武汉 洪山区",
            "street": "2 号",
        },
        content_type="application/json",
    )
    assert typed.json()["division"] == "420111"
    not_a_leaf = client.post(
        "/api/addresses/",
        {
            "recipient": "王芳",
            "phone": "13900000000",
            "division": "420000",
            "street": "3 号",
        },
        content_type="application/json",
    )
    assert not_a_leaf.status_code == 400
    assert "Choose the city and the district too." in str(not_a_leaf.json())
    assert Address.objects.filter(buyer=buyer).count() == 2


def test_the_divisions_within_one_as_json(client):
    response = client.get(reverse("counties:division_children", args=["420100"]))
    assert response.status_code == 200
    names = {row["code"]: row["name"] for row in response.json()["divisions"]}
    assert names["420111"] == "洪山区" and len(names) == 13
    assert "public" in response["Cache-Control"]
    for code in ("420111", "999999", "x" * 300, "%00"):  # a district, unknown…
        assert client.get(f"/divisions/{code}/").status_code == 404


def test_addresses_typed_before_the_divisions_are_located():
    typed = AddressFactory(region="湖北省 恩施州 巴东县", division_id=None)
    unknown = AddressFactory(region="月球", division_id=None)
    assert addresses_locate() == 1
    typed.refresh_from_db()
    unknown.refresh_from_db()
    assert typed.division_id == "422823"
    assert unknown.division_id is None


def test_an_address_asked_for_by_nonsense_is_the_latest_one(client):
    address = AddressFactory()
    client.force_login(address.buyer)
    for asked in ("9" * 20, "abc", "-1", "\x00"):
        cart = client.get(reverse("orders:cart"), {"address": asked})
        assert cart.status_code == 200 and cart.context["address"] == address
        api = client.get("/api/cart/", {"address": asked})
        assert api.status_code == 200


def test_nul_bytes_in_the_lists_or_the_api_are_refused_not_a_server_error(client):
    assert not bound(province="42\x000", city="\x00").is_valid()
    client.force_login(UserFactory())
    response = client.post(
        "/api/addresses/",
        {
            "recipient": "王芳",
            "phone": "13900000000",
            "division": "4201\x001",
            "street": "1 号",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    unknown = client.post(
        "/api/addresses/",
        {
            "recipient": "王芳",
            "phone": "13900000000",
            "division": "999999",
            "street": "1 号",
        },
        content_type="application/json",
    )
    assert unknown.status_code == 400 and "No division" in str(unknown.json())
    assert not Address.objects.exists()
