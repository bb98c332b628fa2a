"""The work units' reports: a unit's year (by month, county of origin and
category) against its reserved share, and a county's officials' view of the
units buying from it. Every figure is checked against an aggregate written here
from the definition, over the acceptances' own lines (accepted quantity at the
line's price); only the unit's admins, the officials of its region (or of the
county) and staff read them; the export is built by the background job."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import OrderStatus
from orders.services.transfers import transfer_received
from orders.services.transitions import order_refund, order_ship
from procurement.models import AcceptanceLine, UnitOrder
from procurement.services.acceptance import order_accept
from procurement.services.units import budget_set
from reports.models import ReportExport
from tests.factories import CountyFactory, ProductFactory, UserFactory
from tests.procurement.conftest import unit_checkout
from tests.procurement.test_acceptance import english, shipped  # noqa: F401

pytestmark = pytest.mark.django_db


def accepted_value(**where) -> Decimal:
    """From the definition: accepted quantity × the line's price, summed."""
    total = AcceptanceLine.objects.filter(**where).aggregate(
        t=Sum(F("accepted") * F("line__unit_price"))
    )["t"]
    return Decimal(str(total or 0)).quantize(Decimal("0.01"))


def delivered_from_elsewhere(buyer, staff) -> UnitOrder:
    """The same unit buys walnuts from a county not on the poverty list."""
    county = CountyFactory(is_key_poverty_county=False, province="浙江省")
    walnuts = ProductFactory(
        status=ProductStatus.ACTIVE,
        price=Decimal("36.80"),
        stock=100,
        farmer__household__village__county=county,
    )
    checkout = unit_checkout(buyer, [(walnuts, 25)], reference="HT-10")
    payment = checkout.payments.get()
    transfer_received(
        payment=payment, bank_reference="B90002", amount=payment.amount, actor=staff
    )
    order = checkout.orders.get()
    order_ship(
        order=order, actor=order.farmer.user, carrier="other", tracking_number="E0001"
    )
    order_accept(unit_order=order.unit_order, actor=buyer, accepted={}, reason="")
    return order.unit_order


@pytest.fixture
def bought(shipped, unit_and_admin, staff):  # noqa: F811
    """U's rice and honey accepted in part (8 bags refused), walnuts whole."""
    unit_order, buyer, rice, _honey = shipped
    unit, admin = unit_and_admin
    lines = {line.title: line for line in unit_order.order.lines.all()}
    order_accept(
        unit_order=unit_order,
        actor=buyer,
        accepted={lines[rice.title].pk: 92},
        reason="8 bags wet",
    )
    walnuts = delivered_from_elsewhere(buyer, staff)
    budget_set(
        unit=unit, year=timezone.localdate().year, amount=Decimal("50000"), actor=staff
    )
    return unit, admin, buyer, unit_order, walnuts


def get(user, api, **params):
    return english(user).get(f"/api/reports/{api}/", params)


def test_a_units_year_equals_its_acceptances(bought):
    unit, admin, _buyer, unit_order, walnuts = bought
    body = get(admin, "unit-purchases").json()  # its one unit, this year
    figures = {figure["key"]: figure["value"] for figure in body["figures"]}
    everything = accepted_value(acceptance__unit_order__unit=unit)
    poverty = accepted_value(
        acceptance__unit_order__unit=unit,
        line__order__county__is_key_poverty_county=True,
    )
    assert everything == Decimal("8350.00") + 25 * Decimal("36.80")
    assert Decimal(figures["accepted"]) == everything
    assert Decimal(figures["bought"]) == poverty == Decimal("8350.00")
    reserved = Decimal("50000") * Decimal("0.10")
    assert Decimal(figures["reserved"]) == reserved
    assert Decimal(figures["remaining"]) == max(reserved - poverty, Decimal(0))
    assert (
        figures["lines"]
        == AcceptanceLine.objects.filter(
            acceptance__unit_order__unit=unit, accepted__gt=0
        ).count()
    )
    tables = {table["key"]: table["rows"] for table in body["tables"]}
    month = f"{timezone.localdate():%Y-%m}"
    by_month = {row["month"]: Decimal(row["amount"]) for row in tables["by_month"]}
    assert by_month[month] == everything and len(by_month) == 12
    by_county = {
        row["name"]: (Decimal(row["amount"]), row["poverty_county"])
        for row in tables["by_county"]
    }
    origin, elsewhere = unit_order.order.county, walnuts.order.county
    assert by_county == {
        origin.label: (
            accepted_value(
                acceptance__unit_order__unit=unit, line__order__county=origin
            ),
            True,
        ),
        elsewhere.label: (
            accepted_value(
                acceptance__unit_order__unit=unit, line__order__county=elsewhere
            ),
            False,
        ),
    }
    by_category = sum(Decimal(row["amount"]) for row in tables["by_category"])
    assert by_category == everything


def test_a_countys_officials_see_the_units_buying_from_it(bought):
    unit, _admin, _buyer, unit_order, _walnuts = bought
    county = unit_order.order.county
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(county)
    body = get(official, "county-unit-purchases", county=county.code).json()
    figures = {figure["key"]: figure["value"] for figure in body["figures"]}
    from_county = accepted_value(line__order__county=county)
    assert Decimal(figures["accepted"]) == from_county == Decimal("8350.00")
    assert figures["units"] == 1
    (row,) = body["tables"][0]["rows"]
    assert row["name"] == unit.shown and Decimal(row["amount"]) == from_county
    # Another county's official: not theirs.
    other = UserFactory(role=Role.OFFICIAL)
    other.counties.add(CountyFactory())
    assert get(other, "county-unit-purchases", county=county.code).status_code == 404


def test_only_admins_officials_of_the_region_and_staff_read_a_unit(bought):
    unit, admin, buyer, _unit_order, _walnuts = bought
    assert get(buyer, "unit-purchases", unit=unit.pk).status_code == 403
    official = UserFactory(role=Role.OFFICIAL)
    official.counties.add(unit.county)
    assert get(official, "unit-purchases", unit=unit.pk).status_code == 200
    elsewhere = UserFactory(role=Role.OFFICIAL)
    elsewhere.counties.add(CountyFactory())
    assert get(elsewhere, "unit-purchases", unit=unit.pk).status_code == 404
    staff = UserFactory(role=Role.STAFF)
    assert get(staff, "unit-purchases", unit=unit.pk).status_code == 200
    response = get(staff, "unit-purchases", unit=unit.pk, year="3000")
    assert response.status_code == 400 and "future" in str(response.json())


def test_a_unit_admin_exports_the_report_as_the_job_builds_it(
    bought, django_capture_on_commit_callbacks
):
    unit, admin, _buyer, _unit_order, _walnuts = bought
    client = english(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/exports/",
            {"report": "unit_purchases", "unit": unit.pk, "year": "", "format": "csv"},
        )
    export = ReportExport.objects.get()
    assert response.url == f"/reports/exports/{export.pk}/"
    assert export.status == ReportExport.Status.DONE
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    accepted = accepted_value(acceptance__unit_order__unit=unit)
    assert ["accepted", str(accepted)] in rows
    download = client.get(f"/reports/exports/{export.pk}/download/")
    assert download.status_code == 200


def test_an_order_refunded_after_acceptance_drops_out_of_the_purchases(bought):
    unit, admin, _buyer, unit_order, walnuts = bought
    staff = UserFactory(role=Role.STAFF)
    order_refund(order=walnuts.order, actor=staff, note="运输损坏，全额退款")
    figures = {
        f["key"]: f["value"] for f in get(admin, "unit-purchases").json()["figures"]
    }
    still = accepted_value(
        acceptance__unit_order__unit=unit,
        line__order__status=OrderStatus.COMPLETED,
    )
    assert still == Decimal("8350.00")  # the walnuts are no longer bought
    assert Decimal(figures["accepted"]) == still
