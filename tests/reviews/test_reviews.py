"""Reviews: the buyer of a completed order rates each product once, 1 to 5
stars, with a comment and photos; the product's average and number follow
(and drive the "best rated" sort); the farmer replies once; the farmer's
assistant or staff hide an abusive review with a reason (audited), and it no
longer counts. Everyone else, and every second try, is refused with nothing
changed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from catalogue.models import Product
from catalogue.selectors import SORTS
from fieldwork.help import dashboard_farmers, help_reasons
from reviews.models import Review
from reviews.services import review_hide, review_reply, review_write
from tests.factories import AssistantFactory, UserFactory, place_checkout
from tests.reviews.conftest import completed

pytestmark = pytest.mark.django_db


def rated(product):
    product = Product.objects.get(pk=product.pk)
    return product.rating, product.ratings


def test_the_buyer_rates_each_product_and_the_average_follows(bought, client):
    order, rice_line, honey_line = bought
    review_write(line=rice_line, buyer=order.buyer, rating=5, comment="米很香")
    review_write(line=honey_line, buyer=order.buyer, rating=3)
    assert rated(rice_line.product) == (Decimal("5.00"), 1)
    again = completed(order.buyer, [(rice_line.product, 1)])
    review_write(line=again.lines.get(), buyer=order.buyer, rating=2)
    # (5 + 2) / 2, to two places.
    assert rated(rice_line.product) == (Decimal("3.50"), 2)
    page = client.get(reverse("product", args=[rice_line.product_id]))
    text = page.content.decode()
    assert "米很香" in text and "3.5 of 5, from 2 reviews" in text
    storefront = client.get(reverse("storefront", args=[order.farmer.slug]))
    assert "3.3 of 5, from 3 reviews" in storefront.content.decode()  # 10 / 3


def test_a_second_review_a_stranger_and_an_unfinished_order_are_refused(bought, shop):
    order, rice_line, _honey_line = bought
    review_write(line=rice_line, buyer=order.buyer, rating=4)
    with pytest.raises(ValidationError, match="already reviewed"):
        review_write(line=rice_line, buyer=order.buyer, rating=1)
    with pytest.raises(ValidationError, match="Only the buyer of a completed"):
        review_write(line=rice_line, buyer=UserFactory(), rating=1)
    _a, _f, rice, _h = shop
    unfinished = place_checkout(UserFactory(), [(rice, 1)]).orders.get()
    with pytest.raises(ValidationError, match="Only the buyer of a completed"):
        review_write(line=unfinished.lines.get(), buyer=unfinished.buyer, rating=5)
    for stars in (0, 6):
        with pytest.raises(ValidationError, match="1 to 5 stars"):
            review_write(line=bought[2], buyer=order.buyer, rating=stars)
    assert Review.objects.count() == 1
    assert rated(rice_line.product) == (Decimal("4.00"), 1)


def test_the_page_takes_a_review_and_refuses_a_photo_that_is_not_one(bought, client):
    order, rice_line, honey_line = bought
    client.force_login(order.buyer)
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("reviews:new", args=[rice_line.pk]) in detail
    url = reverse("reviews:new", args=[rice_line.pk])
    bad = client.post(
        url,
        {
            "rating": "4",
            "photo_1": SimpleUploadedFile("x.jpg", b"text", "image/jpeg"),
        },
    )
    assert bad.context["form"].errors["photo_1"] == [
        "This file is not a photo we can read."
    ]
    assert not Review.objects.exists()
    good = client.post(url, {"rating": "4", "comment": "好吃"})
    assert good.status_code == 302
    assert Review.objects.get().rating == 4
    detail = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("reviews:new", args=[rice_line.pk]) not in detail
    assert reverse("reviews:new", args=[honey_line.pk]) in detail
    # Another buyer cannot even open the form.
    other = type(client)()
    other.force_login(UserFactory())
    assert other.get(url).status_code == 404


def test_the_farmer_replies_once(bought, shop):
    order, rice_line, _honey = bought
    assistant, farmer, _rice, _h = shop
    review = review_write(line=rice_line, buyer=order.buyer, rating=2)
    with pytest.raises(ValidationError):
        review_reply(review=review, actor=assistant.user, text="抱歉")
    review_reply(review=review, actor=farmer.user, text="抱歉，已补发")
    with pytest.raises(ValidationError, match="only once"):
        review_reply(review=review, actor=farmer.user, text="再次")
    assert Review.objects.get().reply == "抱歉，已补发"


def test_the_assistant_or_staff_hide_an_abusive_review_audited(bought, shop):
    order, rice_line, honey_line = bought
    assistant, farmer, _rice, _h = shop
    abusive = review_write(line=rice_line, buyer=order.buyer, rating=1, comment="骂人")
    for refused in (farmer.user, AssistantFactory().user, order.buyer):
        with pytest.raises(ValidationError):
            review_hide(review=abusive, actor=refused, reason="辱骂")
    with pytest.raises(ValidationError, match="Give a reason"):
        review_hide(review=abusive, actor=assistant.user, reason=" ")
    review_hide(review=abusive, actor=assistant.user, reason="辱骂")
    assert rated(rice_line.product) == (None, 0)
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_HIDDEN)
    assert (event.actor, event.note, event.farmer) == (assistant.user, "辱骂", farmer)
    assert event.before["comment"] == "骂人"
    staff = UserFactory(role="staff")
    other = review_write(line=honey_line, buyer=order.buyer, rating=1)
    review_hide(review=other, actor=staff, reason="广告")
    assert AuditEvent.objects.filter(action="review_hidden").count() == 2


def test_best_rated_sorts_by_the_average_then_the_number(shop):
    _a, _f, rice, honey = shop
    Product.objects.filter(pk=rice.pk).update(rating=Decimal("4.50"), ratings=2)
    Product.objects.filter(pk=honey.pk).update(rating=Decimal("4.50"), ratings=9)
    unrated = Product.objects.exclude(pk__in=[rice.pk, honey.pk])
    order = list(Product.objects.filter(farmer=rice.farmer).order_by(*SORTS["rated"]))
    assert order[:2] == [honey, rice]
    assert all(p.rating is None for p in order[2:]) and len(order) == 2 + len(
        unrated.filter(farmer=rice.farmer)
    )


def test_the_catalogue_offers_the_best_rated_sort(shop, client):
    _a, _f, rice, honey = shop
    Product.objects.filter(pk=honey.pk).update(rating=Decimal("4.90"), ratings=3)
    page = client.get(reverse("catalogue"), {"sort": "rated"})
    assert page.status_code == 200
    titles = [p.pk for p in page.context["page_obj"]]
    assert titles.index(honey.pk) < titles.index(rice.pk)


def test_the_product_page_pages_its_reviews(shop, client):
    _a, _f, rice, _h = shop
    for n in range(6):
        order = completed(UserFactory(), [(rice, 1)])
        review_write(
            line=order.lines.get(), buyer=order.buyer, rating=5, comment=f"第{n}条"
        )
    first = client.get(reverse("product", args=[rice.pk])).content.decode()
    second = client.get(reverse("product", args=[rice.pk]), {"reviews": 2})
    assert "第5条" in first and "第0条" not in first
    assert "第0条" in second.content.decode()


def test_a_storefront_rated_low_needs_help(shop):
    assistant, farmer, rice, _h = shop
    for stars in (1, 2, 3):
        order = completed(UserFactory(), [(rice, 1)])
        review_write(line=order.lines.get(), buyer=order.buyer, rating=stars)
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    assert "low_rating" in {rule.code for rule in help_reasons(row)}
    order = completed(UserFactory(), [(rice, 1)])
    review_write(line=order.lines.get(), buyer=order.buyer, rating=5)
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    # (1 + 2 + 3 + 5) / 4 = 2.75: still below 3.
    assert "low_rating" in {rule.code for rule in help_reasons(row)}
    order = completed(UserFactory(), [(rice, 1)])
    review_write(line=order.lines.get(), buyer=order.buyer, rating=5)
    row = dashboard_farmers(assistant.user).get(pk=farmer.pk)
    assert "low_rating" not in {rule.code for rule in help_reasons(row)}  # 3.2
