"""Listing pages: farmers and their assistants create, edit (inline too), photograph,
submit and archive listings; assistants review. Nobody touches another's listing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from catalogue.models import Product, ProductImage, ProductStatus
from tests.factories import (
    AssistantFactory,
    CategoryFactory,
    FarmerFactory,
    ProductFactory,
    farmer_of,
    listing_changes,
)

pytestmark = pytest.mark.django_db
S = ProductStatus


@pytest.fixture
def team():
    assistant = AssistantFactory()
    return assistant, farmer_of(assistant)


def listing_data(**changes):
    data = {
        "category": CategoryFactory().pk,
        "title": "高山蜂蜜",
        "description": "野生百花蜜",
        "unit": "bottle",
        "net_weight_kg": "0.5",
        "price": "68.00",
        "stock": "20",
    }
    data.update(changes)
    return data


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue())


def test_a_farmer_lists_a_product_as_a_draft(client, team):
    _assistant, farmer = team
    client.force_login(farmer.user)
    response = client.post("/listings/new/", listing_data())
    product = Product.objects.get()
    assert response["Location"] == f"/listings/{product.pk}/"
    assert (product.farmer, product.created_by, product.status) == (
        farmer,
        farmer.user,
        S.DRAFT,
    )


def test_an_assistant_lists_for_their_farmer_only(client, team):
    assistant, farmer = team
    stranger = FarmerFactory(household__village__county=assistant.county)
    client.force_login(assistant.user)
    response = client.post("/listings/new/", listing_data(farmer=stranger.pk))
    assert response.status_code == 200 and "farmer" in response.context["form"].errors
    assert not Product.objects.exists()
    client.post("/listings/new/", listing_data(farmer=farmer.pk))
    product = Product.objects.get()
    assert (product.farmer, product.created_by) == (farmer, assistant.user)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "-1"),
        ("price", "1000001"),
        ("stock", "-3"),
        ("price", "NaN"),
        ("title", "x" * 81),
        ("category", "999999"),
    ],
)
def test_bad_listing_values_are_refused_with_a_message(client, team, field, value):
    _assistant, farmer = team
    client.force_login(farmer.user)
    response = client.post("/listings/new/", listing_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Product.objects.exists()


def test_edits_are_recorded_and_other_peoples_listings_are_404(client, team):
    assistant, farmer = team
    product = ProductFactory(farmer=farmer)
    client.force_login(assistant.user)
    client.post(
        f"/listings/{product.pk}/",
        listing_data(price="70.00", title=product.title, category=product.category.pk),
    )
    assert ("price", "68.00", "70.00", assistant.user) in listing_changes(product)
    other_farmer = FarmerFactory()
    for intruder in (other_farmer.user, AssistantFactory().user):
        client.force_login(intruder)
        assert client.get(f"/listings/{product.pk}/").status_code == 404
        response = client.post(
            f"/listings/{product.pk}/quick/", {"price": "1", "stock": "1"}
        )
        assert response.status_code == 404
        assert client.post(f"/listings/{product.pk}/archive/").status_code == 404
    product.refresh_from_db()
    assert (product.price, product.status) == (70, S.DRAFT)


def test_inline_price_and_stock_edit_answers_htmx_with_the_row(client, team):
    _assistant, farmer = team
    product = ProductFactory(farmer=farmer, status=S.ACTIVE)
    client.force_login(farmer.user)
    url = f"/listings/{product.pk}/quick/"
    response = client.post(url, {"price": "55.5", "stock": "3"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "catalogue/_listing_row.html"
    product.refresh_from_db()
    assert (str(product.price), product.stock, product.status) == ("55.50", 3, S.ACTIVE)
    assert {(field, by.pk) for field, _old, _new, by in listing_changes(product)} == {
        ("price", farmer.user.pk),
        ("stock", farmer.user.pk),
    }
    response = client.post(url, {"price": "-2", "stock": "3"}, HTTP_HX_REQUEST="true")
    assert response.context["error"]
    product.refresh_from_db()
    assert str(product.price) == "55.50"


def test_submit_archive_restore_from_the_page(client, team):
    _assistant, farmer = team
    product = ProductFactory(farmer=farmer)
    client.force_login(farmer.user)
    client.post(f"/listings/{product.pk}/submit/")
    product.refresh_from_db()
    assert product.status == S.PENDING
    response = client.post(f"/listings/{product.pk}/submit/", follow=True)
    assert list(response.context["messages"])  # refused, with a message
    client.post(f"/listings/{product.pk}/archive/")
    client.post(f"/listings/{product.pk}/restore/")
    product.refresh_from_db()
    assert product.status == S.DRAFT
    assert client.post(f"/listings/{product.pk}/explode/").status_code == 404


def test_photos_from_the_page(client, team):
    _assistant, farmer = team
    product = ProductFactory(farmer=farmer)
    client.force_login(farmer.user)
    for _ in range(2):
        client.post(f"/listings/{product.pk}/photos/", {"photo": jpeg()})
    first, second = product.images.all()
    client.post(f"/listings/{product.pk}/photos/{second.pk}/up/")
    assert list(product.images.values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(f"/listings/{product.pk}/photos/{second.pk}/delete/")
    assert list(product.images.values_list("pk", "position")) == [(first.pk, 0)]
    response = client.post(
        f"/listings/{product.pk}/photos/",
        {"photo": SimpleUploadedFile("x.jpg", b"<html></html>")},
        follow=True,
    )
    assert list(response.context["messages"])
    assert ProductImage.objects.count() == 1


def test_the_assistant_reviews_their_farmers_listings(client, team):
    assistant, farmer = team
    good, bad = (ProductFactory(farmer=farmer, status=S.PENDING) for _ in range(2))
    foreign = ProductFactory(status=S.PENDING)
    client.force_login(assistant.user)
    listed = list(client.get("/assistant/reviews/").context["page_obj"])
    assert set(listed) == {good, bad}
    client.post(f"/assistant/reviews/{good.pk}/approve/")
    client.post(f"/assistant/reviews/{bad.pk}/reject/", {"reason": ""})
    bad.refresh_from_db()
    assert bad.status == S.PENDING  # a rejection needs a reason
    client.post(f"/assistant/reviews/{bad.pk}/reject/", {"reason": "照片太暗"})
    assert client.post(f"/assistant/reviews/{foreign.pk}/approve/").status_code == 404
    good.refresh_from_db()
    bad.refresh_from_db()
    foreign.refresh_from_db()
    assert (good.status, bad.status, foreign.status) == (
        S.ACTIVE,
        S.REJECTED,
        S.PENDING,
    )
    assert bad.rejection_reason == "照片太暗"
    client.force_login(farmer.user)
    page = client.get(f"/listings/{bad.pk}/").content.decode()
    assert "照片太暗" in page


def test_script_in_a_title_is_shown_as_text(client, team):
    _assistant, farmer = team
    product = ProductFactory(farmer=farmer, title="<script>alert(1)</script>")
    client.force_login(farmer.user)
    for url in ("/listings/", f"/listings/{product.pk}/"):
        page = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("url", "per_page"), [("/listings/", 25), ("/assistant/reviews/", 20)]
)
def test_listing_pages_cost_the_same_queries_for_5_or_100_products(
    client, team, url, per_page
):
    assistant, farmer = team
    client.force_login(assistant.user)
    counts = []
    for total in (5, 100):
        for _ in range(total - Product.objects.count()):
            product = ProductFactory(farmer=farmer, status=S.PENDING)
            ProductImage.objects.create(product=product, image="products/x.jpg")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["page_obj"]) == min(total, per_page)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_stale_form_never_puts_sold_stock_back(client):
    """The farmer opens the edit page at stock 10; a buyer takes 4; saving a new
    price must keep stock 6, and changing the stock from the stale 10 is refused."""
    from decimal import Decimal

    from tests.factories import ProductFactory, place_order

    product = ProductFactory(status=ProductStatus.ACTIVE, stock=10)
    client.force_login(product.farmer.user)
    form = client.get(f"/listings/{product.pk}/").context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data["category"] = product.category.pk
    assert data["stock_seen"] == 10
    place_order(product=product, quantity=4)
    client.post(f"/listings/{product.pk}/", {**data, "price": "70.00"})
    product.refresh_from_db()
    assert (product.price, product.stock) == (Decimal("70.00"), 6)
    response = client.post(f"/listings/{product.pk}/", {**data, "stock": "12"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    product.refresh_from_db()
    assert product.stock == 6
    # The inline edit, the same way.
    quick = {"price": "70.00", "stock": "10", "stock_seen": "10"}
    client.post(f"/listings/{product.pk}/quick/", quick)
    product.refresh_from_db()
    assert product.stock == 6


def test_the_change_history_reads_in_chinese_on_a_chinese_page(client, team):
    """Field names, photo events and choice values are shown in the reader's
    language, whatever was stored."""
    import re

    from catalogue.services import listings, photos

    _assistant, farmer = team
    farmer.user.first_name, farmer.user.last_name = "秀英", "王"
    farmer.user.save()
    product = ProductFactory(farmer=farmer, title="高山蜂蜜", description="百花蜜")
    tea = CategoryFactory(slug="tea", name_zh="茶叶", name_en="Tea")
    listings.product_update(
        product=product,
        changed_by=farmer.user,
        price="70.00",
        unit="jin",
        category=tea,
        title="高山土蜂蜜",
    )
    image = photos.product_image_add(
        product=product, upload=jpeg(), changed_by=farmer.user
    )
    photos.product_images_reorder(
        product=product, image_ids=[image.pk], changed_by=farmer.user
    )
    photos.product_image_delete(
        product=product, image_id=image.pk, changed_by=farmer.user
    )
    client.force_login(farmer.user)
    body = client.get(f"/listings/{product.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    history = body.content.decode().split("修改记录", 1)[1].split("</ul>", 1)[0]
    assert "照片" in history and "单价" in history and "茶叶" in history
    assert re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]+>", "", history)) == []
