"""The settlement pages: the farmer's earnings (figures computed here from the
postings and payouts), entering a payout account with a bad number (an error,
nothing saved), the assistant's page and verify button, the staff's run (after a
confirmation) and batch pages, payouts by county for officials; each costs the
same number of queries for 2 farmers' money as for 12, and the API serves the
same figures to the farmer and their assistant only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from settlement.models import Payout, PayoutAccount
from settlement.services.payouts import payout_run
from tests.factories import AssistantFactory, UserFactory
from tests.settlement.conftest import K, owed
from tests.settlement.test_payouts import CARD, earning_farmer, verified

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_earnings_page_shows_the_farmers_money_and_masks_the_number(client):
    assistant = AssistantFactory()
    farmer = earning_farmer(assistant, "66.60")
    verified(farmer, assistant)
    payout_run()
    page = signed_in(client, farmer.user).get("/farmer/earnings/")
    html = page.content.decode()
    paid = Payout.objects.filter(farmer=farmer).aggregate(t=Sum("amount"))["t"]
    assert paid == Decimal("66.60")
    assert page.context["figures"].paid_out == paid
    assert page.context["figures"].available == owed(farmer, K.FARMER_AVAILABLE) == 0
    assert "•••• 0128" in html and CARD not in html
    assert 'id="payouts"' in html and "66.60" in html
    home = client.get("/farmer/").content.decode()
    assert 'id="earnings"' in home and 'href="/farmer/earnings/"' in home


def test_a_bad_account_number_is_refused_on_the_page_and_nothing_is_saved(client):
    farmer = earning_farmer(AssistantFactory())
    response = signed_in(client, farmer.user).post(
        "/farmer/earnings/account/",
        {
            "method": "bank",
            "holder_name": "王秀英",
            "bank_name": "农业银行",
            "number": "6222021234567890127",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert not PayoutAccount.objects.exists()


def test_the_assistant_verifies_on_their_page_and_the_hold_is_lifted(client):
    assistant = AssistantFactory()
    farmer = earning_farmer(assistant)
    client = signed_in(client, farmer.user)
    client.post(
        "/farmer/earnings/account/",
        {"method": "alipay", "holder_name": "王秀英", "number": "13800001111"},
    )
    page = client.get("/farmer/earnings/")
    assert page.context["hold"]  # waiting for the assistant
    client.force_login(assistant.user)
    listing = client.get("/assistant/earnings/")
    row = next(f for f in listing.context["page_obj"] if f.pk == farmer.pk)
    assert row.hold and row.available == owed(farmer, K.FARMER_AVAILABLE)
    assert "Account to verify" in english(client, "/assistant/earnings/")
    page = client.get(f"/assistant/earnings/{farmer.pk}/account/")
    shown = page.context["verify_form"]["seen"].value()
    client.post(f"/assistant/earnings/{farmer.pk}/verify/", {"seen": shown})
    assert PayoutAccount.objects.get(farmer=farmer).verified_by == assistant.user
    client.force_login(farmer.user)
    assert client.get("/farmer/earnings/").context["hold"] == ""


def english(client, url) -> str:
    client.cookies["django_language"] = "en"
    return client.get(url).content.decode()


def test_an_account_the_assistant_entered_waits_for_the_farmer_on_their_list(client):
    assistant = AssistantFactory()
    farmer = earning_farmer(assistant)
    client = signed_in(client, assistant.user)
    client.post(
        f"/assistant/earnings/{farmer.pk}/account/",
        {"method": "alipay", "holder_name": "王秀英", "number": "13800001111"},
    )
    assert PayoutAccount.objects.get(farmer=farmer).entered_by == assistant.user
    page = english(client, "/assistant/earnings/")
    assert "Waiting for the farmer to confirm" in page
    assert "Account to verify" not in page


def test_staff_run_the_payouts_after_a_confirmation(client):
    assistant = AssistantFactory()
    farmer = earning_farmer(assistant, "12.00")
    verified(farmer, assistant)
    client = signed_in(client, UserFactory(role=Role.STAFF))
    confirm = client.get("/staff/payouts/run/")
    assert [f.pk for f in confirm.context["page_obj"]] == [farmer.pk]
    assert not Payout.objects.exists()  # the GET pays nobody
    client.post("/staff/payouts/run/")
    payout = Payout.objects.get()
    assert payout.amount == Decimal("12.00")
    batch = client.get(f"/staff/payouts/{payout.batch_id}/")
    assert batch.context["batch"].total == Decimal("12.00")
    response = client.post(f"/staff/payouts/{payout.batch_id}/paid/", {})
    assert response.status_code == 302  # a reference is required: nothing marked
    payout.batch.refresh_from_db()
    assert payout.batch.status == "sent"


def test_officials_see_payouts_of_their_counties_only(client):
    assistant, other = AssistantFactory(), AssistantFactory()
    for a in (assistant, other):
        farmer = earning_farmer(a, "20.00")
        verified(farmer, a)
    payout_run()
    official = UserFactory(role=Role.OFFICIAL)
    assistant.county.officials.add(official)
    rows = list(
        signed_in(client, official).get("/reports/payouts/").context["page_obj"]
    )
    assert [(r["county_id"], r["paid"], r["sent"], r["farmers"]) for r in rows] == [
        (assistant.county.pk, 0, Decimal("20.00"), 1)
    ]


def grow(assistant, count):
    for _ in range(count):
        farmer = earning_farmer(assistant, "10.00")
        verified(farmer, assistant)
    payout_run()


def test_each_page_costs_the_same_queries_as_the_money_grows(client):
    assistant = AssistantFactory()
    staff = UserFactory(role=Role.STAFF)
    official = UserFactory(role=Role.OFFICIAL)
    assistant.county.officials.add(official)
    grow(assistant, 2)
    farmer = Payout.objects.first().farmer
    pages = [
        (farmer.user, "/farmer/earnings/"),
        (assistant.user, "/assistant/earnings/"),
        (staff, "/staff/payouts/"),
        (staff, f"/staff/payouts/{Payout.objects.first().batch_id}/"),
        (official, "/reports/payouts/"),
        (assistant.user, "/api/earnings/"),
        (assistant.user, f"/api/earnings/{farmer.pk}/entries/"),
    ]
    before = []
    for user, url in pages:
        client.force_login(user)
        before.append(queries(client, url))
    grow(assistant, 10)
    after = []
    for user, url in pages:
        client.force_login(user)
        after.append(queries(client, url))
    assert after == before


def test_the_api_serves_the_farmer_and_their_assistant_only(client):
    assistant = AssistantFactory()
    farmer = earning_farmer(assistant, "31.50")
    url = f"/api/earnings/{farmer.pk}/"
    for user, status in [
        (farmer.user, 200),
        (assistant.user, 200),
        (AssistantFactory().user, 404),
        (UserFactory(), 403),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            body = response.json()
            assert body["available"] == "31.50" and body["pending"] == "0.00"
            assert body["hold_reason"]  # no payout account yet
    entries = client.get(f"/api/earnings/{farmer.pk}/entries/")
    assert entries.status_code == 403  # the last user is a buyer
