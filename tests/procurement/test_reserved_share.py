"""The reserved share of a year: the setting's default without rows, the
national row where one is set, a province's own where it has one; the unit
page shows the budget times the share, to the fen, half up (computed here
from the definition)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.utils import timezone

from procurement.models import ReservedShare
from procurement.selectors import reserved_share_for
from procurement.services.units import budget_set

pytestmark = pytest.mark.django_db


def test_default_national_then_the_province(unit_and_admin, settings):
    unit, _admin = unit_and_admin
    settings.UNIT_RESERVED_SHARE = Decimal("0.10")
    assert reserved_share_for(unit, 2026) == Decimal("0.10")
    ReservedShare.objects.create(year=2026, province="", share=Decimal("0.12"))
    assert reserved_share_for(unit, 2026) == Decimal("0.12")
    ReservedShare.objects.create(year=2026, province="云南省", share=Decimal("0.20"))
    assert reserved_share_for(unit, 2026) == Decimal("0.12")  # another province
    ReservedShare.objects.create(year=2026, province="贵州省", share=Decimal("0.15"))
    assert reserved_share_for(unit, 2026) == Decimal("0.15")
    assert reserved_share_for(unit, 2025) == Decimal("0.10")  # no row that year


def test_the_page_shows_the_amount_reserved(unit_and_admin, staff):
    unit, admin = unit_and_admin
    year = timezone.localdate().year
    ReservedShare.objects.create(year=year, province="贵州省", share=Decimal("0.15"))
    budget_set(unit=unit, year=year, amount=Decimal("33333.33"), actor=staff)
    client = Client()
    client.force_login(admin)
    response = client.get("/units/")
    expected = (Decimal("33333.33") * Decimal("0.15")).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    assert expected == Decimal("5000.00")  # 4999.9995 half up
    assert response.context["quota"].reserved == expected
    assert "¥5000.00" in response.content.decode()
    assert "15.0%" in response.content.decode()
