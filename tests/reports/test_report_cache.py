"""The report result cache (reports.cache): a repeat view reads no summary table,
a changed day reaches the next view, each viewer's scope and language get their
own entry, a record saved or written in bulk is seen at once, and a version is
bumped again when the rollup's transaction commits."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from accounts.models import Role
from assistants.models import Assignment
from catalogue.models import ProductStatus
from common.signals import records_written
from farmers.models import Household
from orders.models import OrderLine
from orders.sales import PAID
from reports import rollups
from reports.cache import county_key, records_key
from tests.factories import HouseholdFactory, ProductFactory, UserFactory, farmer_of
from tests.reports.test_sales_report import county_c, figures, report, sale

pytestmark = pytest.mark.django_db
__all__ = ["county_c"]  # the fixture, used by name

PAGE = "/reports/sales/"
PERIOD = {"start": "2018-01", "end": "2018-12"}


def summary_reads(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "reports_monthly" in q["sql"]]


def gmv_of(county, year: int) -> Decimal:
    """What the county sold in the year, from the order lines themselves."""
    lines = OrderLine.objects.filter(
        order__county=county, order__paid_at__year=year, order__paid_at__isnull=False
    )
    return lines.aggregate(gmv=Sum(F("quantity") * F("unit_price")))["gmv"]


def test_a_repeat_view_reads_no_summary_table_and_a_changed_day_reaches_the_next(
    client, county_c
):
    county, official, assignment = county_c
    client.force_login(official)
    with CaptureQueriesContext(connection) as first:
        before = client.get(PAGE, PERIOD)
    with CaptureQueriesContext(connection) as repeat:
        again = client.get(PAGE, PERIOD)
    assert summary_reads(first) and not summary_reads(repeat)
    assert again.context["result"] == before.context["result"]
    # A new order on 1 May 2018, and that day rebuilt (as beat does).
    honey = assignment.farmer.products.get()
    sale(honey, 5, (2018, 5, 1))
    rollups.rebuild_day(date(2018, 5, 1))
    with CaptureQueriesContext(connection) as after_change:
        after = client.get(PAGE, PERIOD)
    assert summary_reads(after_change)
    expected = gmv_of(county, 2018)
    assert expected == Decimal("450.00")  # 200 before, and 5 × ¥50
    assert f"¥{expected:,.2f}" not in before.content.decode()
    assert f"¥{expected:,.2f}" in after.content.decode()
    assert figures(report(client).json())["gmv"] == f"{expected:.2f}"


def test_a_rebuild_bumps_only_the_counties_it_touched(county_c):
    county, _, assignment = county_c
    elsewhere = ProductFactory(status=ProductStatus.ACTIVE).farmer.household
    mine, theirs = county_key(county.pk), county_key(elsewhere.village.county_id)
    cache.set_many({mine: "a", theirs: "b"}, None)
    sale(assignment.farmer.products.get(), 1, (2018, 7, 2))
    rollups.rebuild_day(date(2018, 7, 2))
    assert cache.get(mine) != "a" and cache.get(theirs) == "b"


@pytest.mark.django_db(transaction=True)
def test_the_version_is_bumped_again_when_the_rebuild_commits(county_c):
    county, _, assignment = county_c
    sale(assignment.farmer.products.get(), 1, (2018, 7, 3))
    with transaction.atomic():
        rollups.rebuild_day(date(2018, 7, 3))
        inside = cache.get(county_key(county.pk))
    assert cache.get(county_key(county.pk)) not in (None, inside)


def shown_gmv(html: str) -> str:
    return re.search(r'id="figure-gmv"><dt>.*?</dt><dd>(.*?)</dd>', html)[1].strip()


def test_each_scope_and_language_has_its_own_entry(client, county_c):
    county, official, _ = county_c
    client.force_login(official)
    mine = client.get(PAGE, PERIOD).context["result"]
    client.force_login(UserFactory(role=Role.STAFF))
    everyone = client.get(PAGE, PERIOD).context["result"]
    # Staff see the other county's sale too: more than the official's ¥200.
    assert shown_gmv(mine) == "¥200.00" and shown_gmv(everyone) != "¥200.00"
    assert figures(report(client).json())["orders"] == 4
    client.force_login(official)
    english = client.get(PAGE, PERIOD, HTTP_ACCEPT_LANGUAGE="en").context["result"]
    client.cookies.clear()
    client.force_login(official)
    chinese = client.get(PAGE, PERIOD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    for language, html in (("en", english), ("zh-hans", chinese.context["result"])):
        with override(language):
            assert str(PAID.label) in html, language
    assert chinese.context["result"] != english


def test_a_record_saved_or_written_in_bulk_gets_a_new_version(county_c):
    key = records_key("farmers.Household")
    first = cache.get(key)
    HouseholdFactory()
    second = cache.get(key)
    assert second is not None and second != first
    records_written.send(Household)
    assert cache.get(key) != second


def test_a_new_assignment_reaches_the_next_view_of_a_report_that_counts_them(
    client, county_c
):
    county, official, assignment = county_c
    client.force_login(official)
    path = "/api/reports/assistant-performance/"

    def farmers(body):
        return {row["name"]: row["farmers"] for row in body["tables"][0]["rows"]}

    name = (
        assignment.assistant.user.get_full_name() or assignment.assistant.user.username
    )
    before = farmers(client.get(path, PERIOD).json())
    farmer_of(assignment.assistant)  # a second farmer assigned to the same assistant
    after = farmers(client.get(path, PERIOD).json())
    assigned = Assignment.objects.filter(assistant=assignment.assistant, ended_on=None)
    assert before[name] == 1 and after[name] == assigned.count() == 2
