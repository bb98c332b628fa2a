"""A storefront's shipping template: the default it opens with, a whole
template saved and audited (by the farmer or their assistant), every bad
template refused with a message and nothing changed, and its page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from shipping.fees import Parcel, fee
from shipping.models import ChargeBy, RateProvince, ShippingRate, ShippingTemplate
from shipping.selectors import terms_for
from shipping.services import Group
from tests.factories import AssistantFactory, FarmerFactory, farmer_of
from tests.factories import shipping_template as save

pytestmark = pytest.mark.django_db
D = Decimal
ONE_KG = Parcel(weight_kg=D("1.000"), pieces=1, goods=D("30.00"))
THREE_KG = Parcel(weight_kg=D("2.600"), pieces=1, goods=D("30.00"))


def terms(farmer):
    return terms_for([farmer.pk])[farmer.pk]


def stored(farmer):
    """What is stored of the farmer's template, to see that nothing changed."""
    template = ShippingTemplate.objects.get(farmer=farmer)
    return (
        template.charge_by,
        template.first,
        template.additional,
        template.free_over,
        sorted(template.not_delivered.values_list("pk", flat=True)),
        sorted(
            RateProvince.objects.filter(template=template).values_list(
                "province_id", "rate__first", "rate__additional"
            )
        ),
    )


def test_a_new_storefront_opens_with_the_default_template():
    farmer = FarmerFactory(ships_free=False)
    opened = terms(farmer)
    # By weight: ¥8 the first kg, ¥4 each further; the far west ¥18 and ¥10.
    assert fee(opened, "420000", ONE_KG) == D("8.00")
    assert fee(opened, "420000", THREE_KG) == D("16.00")
    assert fee(opened, "540000", THREE_KG) == D("38.00")
    assert fee(opened, "650000", ONE_KG) == D("18.00")
    assert fee(opened, "810000", ONE_KG) is None  # not to Hong Kong
    assert ShippingTemplate.objects.filter(farmer=farmer).count() == 1


def test_a_template_is_saved_whole_and_audited_by_whoever_saves_it():
    assistant = AssistantFactory()
    farmer = farmer_of(assistant)
    save(
        farmer,
        actor=assistant.user,
        charge_by=ChargeBy.PIECE,
        first=D("6.00"),
        additional=D("2.00"),
        free_over=D("88.00"),
        not_delivered=["540000"],
        groups=[Group(("650000", "630000"), D("15.00"), D("9.00"))],
    )
    saved = terms(farmer)
    two = Parcel(weight_kg=D("9"), pieces=2, goods=D("50.00"))
    assert fee(saved, "110000", two) == D("8.00")
    assert fee(saved, "630000", two) == D("24.00")
    assert fee(saved, "540000", two) is None
    assert fee(saved, "110000", Parcel(D("9"), 2, D("88.00"))) == D("0.00")
    assert ShippingRate.objects.filter(template__farmer=farmer).count() == 1
    event = AuditEvent.objects.get(action=AuditEvent.Action.SHIPPING_CHANGED)
    assert event.actor == assistant.user
    assert event.farmer == farmer
    assert event.after["charge_by"] == "piece"
    assert event.after["free_over"] == "88.00"
    assert event.after["groups"] == ["630000,650000: 15.00 + 9.00"]
    assert event.before["first"] == "8.00"


def test_saving_the_same_template_again_records_nothing_more():
    farmer = FarmerFactory()
    save(farmer)
    save(farmer)
    assert AuditEvent.objects.filter(action="shipping_changed").count() == 1


BAD = [
    (
        "overlapping groups",
        {
            "groups": [
                Group(("540000", "650000"), D("20"), D("10")),
                Group(("650000",), D("30"), D("10")),
            ]
        },
        "A province can be in only one group",
    ),
    (
        "a group's province also left out",
        {
            "groups": [Group(("540000",), D("20"), D("10"))],
            "not_delivered": ["540000"],
        },
        "A province can be in only one group, and not also left out",
    ),
    ("a negative first fee", {"first": D("-1.00")}, "cannot be negative"),
    (
        "a negative fee in a group",
        {"groups": [Group(("540000",), D("20"), D("-0.01"))]},
        "cannot be negative",
    ),
    ("a threshold below 0", {"free_over": D("-5.00")}, "cannot be below ¥0"),
    ("an unknown province", {"not_delivered": ["999999"]}, "Choose provinces"),
    (
        "a city for a province",
        {"groups": [Group(("420100",), D("20"), D("10"))]},
        "Choose provinces",
    ),
    ("a group with no province", {"groups": [Group((), D("20"), D("10"))]}, "at least"),
    ("no such charge", {"charge_by": "volume"}, "Choose how shipping is charged"),
]


@pytest.mark.parametrize("name, changes, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_template_is_refused_and_changes_nothing(name, changes, message):
    farmer = FarmerFactory()
    before = stored(farmer)
    with pytest.raises(ValidationError) as refused:
        save(farmer, **changes)
    assert any(message in text for text in refused.value.messages)
    assert stored(farmer) == before
    assert not AuditEvent.objects.filter(action="shipping_changed").exists()


def page_body(**changes):
    body = {
        "charge_by": "weight",
        "first": "9.00",
        "additional": "3.00",
        "free_over": "",
        "group-TOTAL_FORMS": "2",
        "group-INITIAL_FORMS": "0",
        "group-0-provinces": ["540000", "650000"],
        "group-0-first": "20.00",
        "group-0-additional": "12.00",
        "group-1-provinces": [],
        "group-1-first": "",
        "group-1-additional": "",
    }
    body.update(changes)
    return body


def test_the_farmer_saves_the_template_on_its_page(client):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    url = reverse("shipping:template", args=[farmer.pk])
    assert client.get(reverse("shipping:own")).url == url
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["first"].value() == D("8.00")
    response = client.post(url, page_body())
    assert response.status_code == 302
    saved = terms(farmer)
    assert (saved.first, saved.additional) == (D("9.00"), D("3.00"))
    assert saved.groups["540000"] == (D("20.00"), D("12.00"))
    again = client.get(url)
    assert sorted(again.context["formset"].forms[0]["provinces"].value()) == [
        "540000",
        "650000",
    ]


def test_a_bad_page_keeps_what_was_typed_and_saves_nothing(client):
    farmer = FarmerFactory()
    before = stored(farmer)
    client.force_login(farmer.user)
    url = reverse("shipping:template", args=[farmer.pk])
    overlapping = page_body(
        **{
            "group-1-provinces": ["650000"],
            "group-1-first": "30.00",
            "group-1-additional": "9.00",
        }
    )
    response = client.post(url, overlapping, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "A province can be in only one group" in text
    assert response.context["form"]["first"].value() == "9.00"
    negative = client.post(url, page_body(first="-2"))
    assert "Shipping fees cannot be negative." in negative.content.decode()
    unpriced = client.post(url, page_body(**{"group-0-first": ""}))
    assert "Give this group&#x27;s two prices." in unpriced.content.decode()
    assert stored(farmer) == before


def test_an_assistant_edits_only_their_farmers_template(client):
    assistant = AssistantFactory()
    mine, other = farmer_of(assistant), FarmerFactory()
    client.force_login(assistant.user)
    assert client.get(reverse("shipping:template", args=[other.pk])).status_code == 404
    response = client.post(reverse("shipping:template", args=[mine.pk]), page_body())
    assert response.status_code == 302
    assert terms(mine).first == D("9.00")
    assert AuditEvent.objects.get(action="shipping_changed").actor == assistant.user
