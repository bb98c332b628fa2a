"""Separators are the reader's language's: a place is one translatable pattern
(counties.models.place: "Big Tree Village, County C", in Chinese the larger
first, "C县大树村", not "大树村, C县"), and "label: value" is another
(common.templatetags.labelled: a full-width colon in Chinese,
"农户姓名：该字段是必填项。"), on the product page, the household file, the
packing slip and the error summary."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from catalogue.models import ProductStatus
from tests.factories import (
    AssignmentFactory,
    AssistantFactory,
    CountyFactory,
    FarmerFactory,
    ProductFactory,
    VillageFactory,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db
LANGUAGES = ["zh-hans", "en"]
ZH = {"place": "C县大树村", "linked": "C县</a>大树村", "colon": "："}
EN = {"place": "Big Tree Village, County C", "linked": "Big Tree Village, <a"}


def expected(language):
    return ZH if language == "zh-hans" else EN


def village(county=None):
    county = county or CountyFactory(name="C县", name_en="County C")
    return VillageFactory(county=county, name="大树村", name_en="Big Tree Village")


def read(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_place_is_one_pattern_in_the_readers_language(language):
    from counties.models import place

    spot = village()
    with override(language):
        assert place(spot.label, spot.county.label) == expected(language)["place"]
        assert str(spot) == spot.place == expected(language)["place"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_product_page_shows_its_origin_as_one_place(client, language):
    farmer = FarmerFactory(household__village=village())
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE)
    page = read(client, f"/products/{product.pk}/", language)
    assert expected(language)["linked"] in page
    assert "大树村, " not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_household_file_shows_the_village_in_its_county(client, language):
    assistant = AssistantFactory(county__name="C县", county__name_en="County C")
    farmer = FarmerFactory(household__village=village(assistant.county))
    AssignmentFactory(assistant=assistant, farmer=farmer)
    client.force_login(assistant.user)
    page = read(client, reverse("fieldwork:farmer_detail", args=[farmer.pk]), language)
    assert f"<dd>{expected(language)['place']}</dd>" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_packing_slip_says_where_from_in_the_readers_punctuation(client, language):
    farmer = FarmerFactory(household__village=village(), shop_name="王秀英的小店")
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE)
    order = order_pay(order=place_order(product=product))
    client.force_login(farmer.user)
    page = read(client, reverse("orders:packing_slip", args=[order.pk]), language)
    if language == "zh-hans":
        assert "<strong>寄件人</strong>：王秀英的小店 · C县大树村</p>" in page
    else:
        origin = "王秀英的小店 · Big Tree Village, County C"
        assert f"<strong>From</strong>: {origin}</p>" in page


class Farmer(forms.Form):
    name = forms.CharField(label=_("Farmer's name"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_error_summary_separates_field_and_error_in_the_readers_way(language):
    with override(language):
        html = render_to_string(
            "partials/error_summary.html", {"form": Farmer(data={})}
        )
    if language == "zh-hans":
        assert '<a href="#id_name">农户姓名</a>：该字段是必填项。' in html
    else:
        assert '<a href="#id_name">Farmer&#x27;s name</a>: This field is required.' in (
            html
        )
