"""What the independent audit of the report figures found (issue 15, items 1–6
and 9), each checked against an aggregate written here from the definition,
never by calling the report code: earned income net of costs, half-up rounding,
the category breakdown under a village filter, net sales beside GMV, labels that
name the lines compared, the share of farmers selling in the report's period,
people shown by their username, and survey platform income that follows the
orders. Runs on SQLite here and on PostgreSQL in CI."""

import csv
import io
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.models import Role
from catalogue.models import ProductStatus
from counties.models import PovertyLine, PovertyLineMethod
from farmers.models import RegisterStatus
from fieldwork import selectors, services
from fieldwork.models import IncomeSurvey
from orders.models import Order, OrderLine, OrderStatus
from orders.services.transitions import order_complete, order_refund, order_ship
from reports import rollups
from reports.models import ReportExport
from reports.tasks import rebuild_dirty_days
from tests.factories import (
    SURVEY_FIGURES,
    AssignmentFactory,
    CategoryFactory,
    CountyFactory,
    HouseholdFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
    order_pay,
    place_order,
)

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
ON_REGISTER = (RegisterStatus.REGISTERED, RegisterStatus.EXITED)


def fen(value) -> Decimal:
    """Written here, not imported: half up to the fen."""
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def figures(body) -> dict:
    return {figure["key"]: figure for figure in body["figures"]}


def staff_client(client):
    client.force_login(UserFactory(role=Role.STAFF))
    return client


def sale(product, quantity, day: date, *, complete=True, buyer=None):
    """A paid order (shipped and completed unless told) paid on `day`."""
    order = order_pay(
        order=place_order(product=product, quantity=quantity, buyer=buyer)
    )
    if complete:
        order_ship(
            order=order,
            actor=product.farmer.user,
            carrier="other",
            tracking_number="E1234",
        )
        order = order_complete(order=order, actor=order.buyer)
    Order.objects.filter(pk=order.pk).update(
        paid_at=datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
    )
    return order


# --- Item 1: earned income per person is net of production costs ------------------


@pytest.fixture
def surveyed_county():
    """Registered, exited and unregistered households with costs and transfers in
    2017 and 2018; a national line for 2017 and the county's own for 2018."""
    county = CountyFactory()
    village = VillageFactory(county=county)
    recorder = UserFactory(role=Role.ASSISTANT, first_name="")
    rows = [
        # status, members, 2017 figures, 2018 figures
        (RegisterStatus.REGISTERED, 3, {"wages": 5000}, {"platform_sales": 3000}),
        (
            RegisterStatus.REGISTERED,
            2,
            {"wages": 2000, "production_costs": 900},
            {"wages": 6000, "production_costs": 2500, "transfers": 1200},
        ),
        (
            RegisterStatus.EXITED,
            4,
            {"business": 9000},
            {"business": 12000, "production_costs": 4100.5, "other_income": 333.33},
        ),
        (
            RegisterStatus.NEVER_REGISTERED,
            2,
            {"wages": 1000},
            {"wages": 1500, "production_costs": 100},
        ),
    ]
    for status, members, base, now in rows:
        extra = (
            {"registered": True} if status != RegisterStatus.NEVER_REGISTERED else {}
        )
        if status == RegisterStatus.EXITED:
            extra.update(status=status, exited_on=date(2018, 10, 1))
        household = HouseholdFactory(village=village, members=members, **extra)
        for year, values in ((2017, base), (2018, now)):
            IncomeSurvey.objects.create(
                household=household,
                year=year,
                members=members,
                recorded_by=recorder,
                **{key: Decimal(str(value)) for key, value in values.items()},
            )
    PovertyLine.objects.create(
        year=2017, method=PovertyLineMethod.ABSOLUTE, amount=Decimal("2641.98")
    )
    PovertyLine.objects.create(
        county=county,
        year=2018,
        method=PovertyLineMethod.ABSOLUTE,
        amount=Decimal("3600"),
    )
    return county, recorder


def income_report(client, county, **params):
    return client.get(
        "/api/reports/income-impact/", {"county": county.code, "year": 2018, **params}
    ).json()


def test_earned_income_per_person_is_net_of_production_costs(client, surveyed_county):
    county, _recorder = surveyed_county
    expected = IncomeSurvey.objects.filter(
        year=2018, household__status__in=ON_REGISTER
    ).aggregate(
        earned=Sum(
            F("platform_sales")
            + F("other_agriculture")
            + F("wages")
            + F("business")
            + F("other_income")
            - F("production_costs")
        ),
        members=Sum("members"),
    )
    body = income_report(staff_client(client), county)
    earned = figures(body)["earned_per_capita"]["value"]
    assert Decimal(earned) == fen(Decimal(expected["earned"]) / expected["members"])
    # …and not the gross figure the report used to show
    gross = Decimal(expected["earned"]) + Decimal("2500") + Decimal("4100.50")
    assert Decimal(earned) != fen(gross / expected["members"])
    village_row = body["tables"][0]["rows"][0]
    assert village_row["earned_per_capita"] == earned


def test_the_survey_the_report_and_targeting_agree_on_who_is_under_the_line(
    client, surveyed_county
):
    county, _recorder = surveyed_county
    line = Decimal("3600")
    net = (
        F("platform_sales")
        + F("other_agriculture")
        + F("wages")
        + F("business")
        + F("transfers")
        + F("other_income")
        - F("production_costs")
    )
    now = IncomeSurvey.objects.filter(year=2018).annotate(net=net)
    under_registered = sum(
        1
        for survey in now.filter(household__status__in=ON_REGISTER)
        if survey.net < line * survey.members
    )
    body = income_report(staff_client(client), county)
    assert figures(body)["under_now"]["value"] == under_registered
    # the household file's status, survey by survey, says the same
    statuses = [
        selectors.poverty_status(survey).under_line
        for survey in IncomeSurvey.objects.filter(
            year=2018, household__status__in=ON_REGISTER
        ).select_related("household__village__county")
    ]
    assert statuses.count(True) == under_registered
    never = [
        survey
        for survey in now.filter(household__status=RegisterStatus.NEVER_REGISTERED)
        if survey.net < line * survey.members
    ]
    targeting = client.get(
        "/api/reports/targeting-quality/", {"county": county.code, "year": 2018}
    ).json()
    assert figures(targeting)["missing"]["value"] == len(never)


# --- Item 2: money rounds half up, in the API, the export and the page -------------


def test_half_fen_averages_round_up_in_the_api_the_export_and_the_page(
    client, django_capture_on_commit_callbacks
):
    county = CountyFactory()
    village = VillageFactory(county=county)
    recorder = UserFactory(role=Role.ASSISTANT)
    for platform in ("1585.30", "1585.31"):  # average 1585.305
        household = HouseholdFactory(village=village, members=1, registered=True)
        IncomeSurvey.objects.create(
            household=household,
            year=2018,
            members=1,
            recorded_by=recorder,
            platform_sales=Decimal(platform),
        )
    expected = fen(
        IncomeSurvey.objects.aggregate(total=Sum("platform_sales"))["total"] / 2
    )
    assert expected == Decimal("1585.31")
    staff_client(client)
    body = income_report(client, county)
    assert figures(body)["platform_per_household"]["value"] == "1585.31"
    page = client.get("/reports/income/", {"county": county.code, "year": 2018})
    assert "¥1585.31" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/reports/exports/",
            {
                "report": "income_impact",
                "county": county.code,
                "year": 2018,
                "format": "csv",
            },
        )
    export = ReportExport.objects.get()
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    assert ["platform_per_household", "1585.31"] in rows


# --- Item 3: the category breakdown under a village filter --------------------------


@pytest.fixture
def two_villages():
    first = AssignmentFactory()
    county = first.farmer.household.village.county
    other_village = VillageFactory(county=county)
    second = AssignmentFactory(
        assistant=first.assistant,
        farmer__household__village=other_village,
    )
    tea = CategoryFactory(slug="tea", name_zh="茶叶", name_en="Tea")
    honey = CategoryFactory(slug="honey", name_zh="蜂蜜", name_en="Honey")
    products = {
        "tea_here": ProductFactory(
            farmer=first.farmer, category=tea, status=ProductStatus.ACTIVE, stock=99
        ),
        "honey_here": ProductFactory(
            farmer=first.farmer, category=honey, status=ProductStatus.ACTIVE, stock=99
        ),
        "tea_there": ProductFactory(
            farmer=second.farmer, category=tea, status=ProductStatus.ACTIVE, stock=99
        ),
    }
    sale(products["tea_here"], 2, date(2018, 3, 5))
    sale(products["honey_here"], 1, date(2018, 4, 5), complete=False)
    refunded = sale(products["honey_here"], 3, date(2018, 5, 5), complete=False)
    order_refund(order=refunded, actor=UserFactory(role=Role.STAFF))
    sale(products["tea_there"], 4, date(2018, 6, 5))
    rollups.rebuild_all()
    return county, first.farmer.household.village, products


def sales_report(client, **params):
    return client.get(
        "/api/reports/county-sales/", {"start": "2018-01", "end": "2018-12", **params}
    ).json()


def table(body, key) -> list[dict]:
    return next(t for t in body["tables"] if t["key"] == key)["rows"]


def test_sales_by_category_follow_a_village_filter(client, two_villages):
    county, village, _products = two_villages
    expected = {
        row["product__category__name_zh"]: fen(row["gmv"])
        for row in OrderLine.objects.filter(
            order__paid_at__isnull=False, order__village=village
        )
        .values("product__category", "product__category__name_zh")
        .annotate(gmv=Sum("line_total"))
    }
    assert len(expected) == 2
    body = sales_report(staff_client(client), county=county.code, village=village.pk)
    rows = table(body, "by_category")
    assert {row["name"]: Decimal(row["gmv"]) for row in rows} == expected


# --- Item 5: what each figure counts --------------------------------------------------


def test_net_sales_beside_gmv_and_labels_that_say_what_they_count(
    client, two_villages, settings
):
    county, _village, _products = two_villages
    paid = OrderLine.objects.filter(
        order__county=county,
        order__paid_at__gte=datetime(2018, 1, 1, tzinfo=TZ),
        order__paid_at__lt=datetime(2019, 1, 1, tzinfo=TZ),
    )
    gmv = paid.aggregate(total=Sum("line_total"))["total"]
    net = paid.exclude(
        order__status__in=(OrderStatus.CANCELLED, OrderStatus.REFUNDED)
    ).aggregate(total=Sum("line_total"))["total"]
    assert gmv > net
    client = staff_client(client)
    body = client.get(
        "/api/reports/county-sales/",
        {"start": "2018-01", "end": "2018-12", "county": county.code},
        headers={"accept-language": "en"},
    ).json()
    shown = figures(body)
    assert Decimal(shown["gmv"]["value"]) == fen(gmv)
    assert Decimal(shown["net"]["value"]) == fen(net)
    assert "refund" in shown["gmv"]["label"].lower()
    assert "net" in shown["net"]["label"].lower()
    village_rows = table(body, "by_village")
    assert sum(Decimal(row["net"]) for row in village_rows) == fen(net)


def test_crossing_names_both_lines_when_the_base_year_is_national(
    client, surveyed_county
):
    county, _recorder = surveyed_county
    client = staff_client(client)
    body = client.get(
        "/api/reports/income-impact/",
        {"county": county.code, "year": 2018},
        headers={"accept-language": "en"},
    ).json()
    label = figures(body)["crossed"]["label"]
    assert "national line ¥2641.98" in label and "2017" in label
    assert "county line ¥3600.00" in label and "2018" in label


def test_the_share_of_farmers_selling_follows_the_reports_period(client):
    assignment = AssignmentFactory()
    other = AssignmentFactory(
        assistant=assignment.assistant,
        farmer__household__village=assignment.farmer.household.village,
    )
    product = ProductFactory(
        farmer=assignment.farmer, status=ProductStatus.ACTIVE, stock=99
    )
    sale(product, 1, date(2018, 3, 5))
    rollups.rebuild_all()
    county = assignment.farmer.household.village.county
    selling = (
        OrderLine.objects.filter(
            order__paid_at__gte=datetime(2018, 1, 1, tzinfo=TZ),
            order__paid_at__lt=datetime(2019, 1, 1, tzinfo=TZ),
            order__farmer__in=[assignment.farmer, other.farmer],
        )
        .exclude(order__status__in=(OrderStatus.CANCELLED, OrderStatus.REFUNDED))
        .aggregate(farmers=Count("order__farmer", distinct=True))["farmers"]
    )
    body = client_get_performance(staff_client(client), county)
    row = table(body, "assistants")[0]
    assert Decimal(row["selling_share"]) == fen(Decimal(selling) * 100 / 2)
    assert Decimal(row["selling_share"]) == Decimal("50.00")


def client_get_performance(client, county):
    return client.get(
        "/api/reports/assistant-performance/",
        {"start": "2018-01", "end": "2018-12", "county": county.code},
    ).json()


def test_a_person_with_no_name_is_shown_by_their_username(client, two_villages):
    county, village, products = two_villages
    assistant_user = products["tea_here"].farmer.assignments.get().assistant.user
    assistant_user.first_name = assistant_user.last_name = ""
    assistant_user.save()
    client = staff_client(client)
    names = [row["name"] for row in table(sales_report(client), "by_assistant")]
    assert names == [assistant_user.username]
    performance = table(client_get_performance(client, county), "assistants")
    assert [row["name"] for row in performance] == [assistant_user.username]
    household = HouseholdFactory(village=village, registered=True)
    IncomeSurvey.objects.create(
        household=household, year=2018, members=2, recorded_by=assistant_user
    )
    rows = table(income_report(client, county), "by_assistant")
    assert [row["name"] for row in rows] == [assistant_user.username]


# --- Item 6: the survey's platform income follows the orders ------------------------


def test_a_refund_after_a_survey_reaches_its_platform_income(
    client, django_capture_on_commit_callbacks
):
    assignment = AssignmentFactory()
    farmer = assignment.farmer
    product = ProductFactory(farmer=farmer, status=ProductStatus.ACTIVE, stock=99)
    kept = sale(product, 2, date(2018, 3, 5))
    refunded = sale(product, 1, date(2018, 4, 5))
    sale(product, 5, date(2019, 1, 2))  # another year
    survey = services.survey_record(
        household=farmer.household,
        year=2018,
        recorded_by=assignment.assistant.user,
        **SURVEY_FIGURES,
    )
    assert survey.platform_sales == kept.total + refunded.total
    order_refund(order=refunded, actor=UserFactory(role=Role.STAFF))
    order_complete_later = sale(product, 3, date(2018, 12, 30), complete=False)
    order_ship(
        order=order_complete_later,
        actor=farmer.user,
        carrier="other",
        tracking_number="E1234",
    )
    order_complete(order=order_complete_later, actor=order_complete_later.buyer)
    rebuild_dirty_days()
    survey.refresh_from_db()
    expected = Order.objects.filter(
        Q(status=OrderStatus.COMPLETED),
        farmer__household=farmer.household,
        paid_at__gte=datetime(2018, 1, 1, tzinfo=TZ),
        paid_at__lt=datetime(2019, 1, 1, tzinfo=TZ),
    ).aggregate(total=Sum("total"), orders=Count("pk"))
    assert survey.platform_sales == fen(expected["total"])
    assert survey.platform_orders == expected["orders"] == 2


# --- Item 9: the income-impact page ---------------------------------------------------


def test_the_income_page_opens_on_the_latest_surveyed_year_with_two_tables(
    client, surveyed_county
):
    county, _recorder = surveyed_county
    latest = IncomeSurvey.objects.order_by("-year").values_list("year", flat=True)[0]
    assert latest == 2018 < timezone.localdate().year - 1
    client.force_login(UserFactory(role=Role.STAFF))
    page = client.get(
        "/reports/income/", {"county": county.code}, headers={"accept-language": "en"}
    )
    html = page.content.decode()
    assert f'name="year" value="{latest}"' in html
    assert "None" not in html
    assert html.count("<h2>By village</h2>") == 1
    assert html.count("<h2>By assistant (who recorded the survey)</h2>") == 1


def test_unknown_relative_counts_are_a_dash_with_a_reason(client, surveyed_county):
    county, _recorder = surveyed_county
    client.force_login(UserFactory(role=Role.STAFF))
    page = client.get(
        "/reports/income/",
        {"county": county.code, "year": 2018, "base_year": 2016},
        headers={"accept-language": "en"},
    )
    html = page.content.decode()
    assert "None" not in html
    assert 'id="figure-under_relative_base"' in html
    figure = html.split('id="figure-under_relative_base"')[1].split("</div>")[0]
    assert "<dd>—</dd>" in figure
    assert "No household of the county was surveyed in 2016" in html


def test_targeting_labels_name_the_line_they_compare_with(client, surveyed_county):
    county, _recorder = surveyed_county
    client = staff_client(client)
    body = client.get(
        "/api/reports/targeting-quality/",
        {"county": county.code, "year": 2018},
        headers={"accept-language": "en"},
    ).json()
    shown = figures(body)
    assert "county line ¥3600.00" in shown["wrong"]["label"]
    assert "county line ¥3600.00" in shown["missing"]["label"]
