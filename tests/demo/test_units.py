"""seed_demo's work units: three in either preset, and demo_unit_admin and
demo_unit_buyer land on /units/; in the county-c-2018 preset (at a small scale)
the units have orders, and the quota's figure bought is checked here against
the unit's accepted orders (totals less refunds)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from demo.management.commands import seed_demo
from demo.people import DEMO_PASSWORD
from orders.models import Order, Refund
from procurement.models import Acceptance, UnitMember, UnitOrder, WorkUnit

pytestmark = pytest.mark.django_db


def test_the_small_preset_has_the_units_and_their_logins():
    call_command("seed_demo", stdout=io.StringIO())
    assert WorkUnit.objects.count() == 3
    assert UnitMember.objects.filter(user__username="demo_unit_admin").exists()
    assert not UnitOrder.objects.exists()  # the small history is pinned


def test_the_unit_logins_land_on_their_unit_with_its_quota(monkeypatch):
    monkeypatch.setattr(seed_demo, "CASE_STUDY_SALES", Decimal("50000"))
    call_command("seed_demo", "--preset", "county-c-2018", stdout=io.StringIO())
    assert WorkUnit.objects.count() == 3
    for username in ("demo_unit_admin", "demo_unit_buyer"):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get("/accounts/home/")["Location"] == "/units/"
    unit = UnitMember.objects.get(user__username="demo_unit_buyer").unit
    accepted = Acceptance.objects.filter(unit_order__unit=unit).values_list(
        "unit_order__order_id", flat=True
    )
    total = Order.objects.filter(pk__in=accepted).aggregate(t=Sum("total"))["t"]
    back = Refund.objects.filter(order_id__in=accepted).aggregate(t=Sum("amount"))["t"]
    assert back > 0  # one order was accepted in part
    page = client.get("/units/")
    assert page.context["quota"].bought == total - back
    assert page.context["quota"].reserved > 0
