"""seed_demo's work units: three in either preset, and demo_unit_admin and
demo_unit_buyer land on /units/; in the county-c-2018 preset (at a small scale)
the units have a year of orders, and the quota's figure bought is checked here
against the unit's acceptances of this year (accepted quantity at price, from
key poverty counties)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from demo.management.commands import seed_demo
from demo.people import DEMO_PASSWORD
from procurement.models import (
    Acceptance,
    AcceptanceLine,
    UnitMember,
    UnitOrder,
    WorkUnit,
)

TWO = Decimal("0.01")

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
    year = timezone.localdate().year
    lines = AcceptanceLine.objects.filter(
        acceptance__unit_order__unit=unit,
        acceptance__decided_at__year=year,
        line__order__county__is_key_poverty_county=True,
    )
    bought = lines.aggregate(t=Sum(F("accepted") * F("line__unit_price")))["t"]
    assert lines.filter(refused__gt=0).exists()  # some goods were refused
    page = client.get("/units/")
    assert page.context["quota"].bought == Decimal(str(bought)).quantize(TWO)
    assert page.context["quota"].reserved > 0
    # A year of orders: every one of the last twelve months has accepted goods.
    months = {
        timezone.localtime(at).strftime("%Y-%m")
        for at in Acceptance.objects.filter(unit_order__unit=unit).values_list(
            "decided_at", flat=True
        )
    }
    assert len(months) == 12
    for other in WorkUnit.objects.exclude(pk=unit.pk):
        assert UnitOrder.objects.filter(unit=other).count() >= 11 * 2
