"""Demo income surveys for seed_demo: the figures of each surveyed household, drawn
around the poverty line, and the small and year presets of field work."""

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from common.money import to_fen
from counties.selectors import poverty_line_for
from demo.shoppers import SMALL_REFERENCE
from demo.training import (
    BATCH,
    NO_SALES,
    SMALL_YEARS,
    UPDATE_BATCH,
    Added,
    Member,
    Team,
    _at,
    _quarters,
    plan_sessions,
    plan_visits,
    survey_visit,
    teams_of,
    write_sessions,
    write_visits,
)
from farmers.models import Household, RegisterStatus
from fieldwork.models import IncomeSurvey
from fieldwork.selectors import PlatformSales, completed_sales

# Income surveys -------------------------------------------------------------------


def _level(rng: random.Random, registered: bool) -> float:
    """Per-capita income besides platform sales in the first year, as a share of
    that year's poverty line: registered households mostly just under it (a few
    well above: wrong evaluations), others mostly above (a few under: missed)."""
    if registered:
        if rng.random() < 0.06:
            return rng.uniform(1.6, 2.2)
        return rng.triangular(0.7, 1.1, 0.9)
    if rng.random() < 0.12:
        return rng.uniform(0.75, 0.98)
    return rng.triangular(1.05, 2.6, 1.4)


def survey_figures(
    rng: random.Random,
    household: Household,
    lines: list[Decimal],
    sales: list[Decimal],
) -> list[dict]:
    """A household's typed survey figures for consecutive years (one per line and
    platform sales): its other income grows, a new job in some households, and
    platform sales add their net (less the costs of producing and sending)."""
    registered = household.status == RegisterStatus.REGISTERED
    members = household.members
    income = float(lines[0]) * _level(rng, registered) * members
    transfers = income * (
        rng.uniform(0.2, 0.4) if registered else rng.uniform(0.03, 0.12)
    )
    on_dibao = rng.random() < (0.35 if registered else 0.04)
    dibao_share = rng.uniform(0.4, 0.8) if on_dibao else 0.0  # of transfers
    other = income * rng.uniform(0, 0.05)
    earned = income - transfers - other
    business = earned * rng.uniform(0.1, 0.3) if rng.random() < 0.25 else 0.0
    farming = (earned - business) * rng.uniform(0.35, 0.75)
    wages = earned - business - farming
    farm_costs = rng.uniform(0.25, 0.45)  # of gross farm income
    sales_costs = rng.uniform(0.25, 0.4)  # of platform sales
    spending = rng.uniform(0.75, 1.0)  # of net income
    years = []
    for n, platform in enumerate(sales):
        if n:
            farming *= rng.uniform(0.95, 1.15)
            wages *= rng.uniform(1.0, 1.15)
            if rng.random() < (0.3 if registered else 0.15):
                wages += rng.uniform(4000, 10000)  # work helping others produce
            business *= rng.uniform(0.95, 1.2)
            transfers *= rng.uniform(1.0, 1.1)
            other *= rng.uniform(0.9, 1.1)
        gross_farming = round(farming / (1 - farm_costs))
        costs = gross_farming - round(farming) + round(float(platform) * sales_costs)
        net = (
            farming
            + wages
            + business
            + transfers
            + other
            + float(platform) * (1 - sales_costs)
        )
        figures = {
            "members": members,
            "other_agriculture": gross_farming,
            "wages": round(wages),
            "business": round(business),
            "transfers": round(transfers),
            "dibao": round(transfers * dibao_share),
            "other_income": round(other),
            "production_costs": costs,
            "living_costs": round(net * spending * rng.uniform(0.95, 1.05)),
        }
        years.append(
            {k: v if k == "members" else to_fen(v) for k, v in figures.items()}
        )
    return years


def plan_surveys(
    rng: random.Random,
    surveyed: list[tuple[Team, Member]],
    years: tuple[int, ...],
    days: dict[tuple[int, int], date],
) -> list[IncomeSurvey]:
    """Each surveyed household's surveys for `years`, taken on the day in `days`
    (by household and year) by its farmer's assistant; platform sales filled in
    as fieldwork.services does."""
    households = Household.objects.select_related("village__county").in_bulk(
        [member.household_id for _team, member in surveyed]
    )
    lines_of = {}
    sales_of = platform_sales(list(households), years)
    surveys = []
    for team, member in surveyed:
        household = households[member.household_id]
        county = household.village.county
        for year in years:
            if (county.pk, year) not in lines_of:
                lines_of[county.pk, year] = poverty_line_for(county, year).amount
        sales = [sales_of.get((household.pk, year), NO_SALES) for year in years]
        figures = survey_figures(
            rng,
            household,
            [lines_of[county.pk, year] for year in years],
            [s.total for s in sales],
        )
        for year, sold, typed in zip(years, sales, figures, strict=True):
            surveys.append(
                IncomeSurvey(
                    household=household,
                    year=year,
                    recorded_by_id=team.user_id,
                    platform_sales=sold.total,
                    platform_orders=sold.orders,
                    created_at=_at(days[household.pk, year], 21),
                    **typed,
                )
            )
    return surveys


def write_surveys(surveys: list[IncomeSurvey]) -> Added:
    """Insert the surveys whose household and year have none yet; recorded (and
    last updated) on the evening of the survey visit."""
    have = set(
        IncomeSurvey.objects.filter(
            household__in={s.household_id for s in surveys}
        ).values_list("household_id", "year")
    )
    new = [s for s in surveys if (s.household_id, s.year) not in have]
    recorded = [s.created_at for s in new]
    new = IncomeSurvey.objects.bulk_create(new, batch_size=BATCH)
    for survey, at in zip(new, recorded, strict=True):
        survey.created_at = survey.updated_at = at
    IncomeSurvey.objects.bulk_update(
        new, ["created_at", "updated_at"], batch_size=UPDATE_BATCH
    )
    return Added(surveys=len(new))


def platform_sales(
    households: Iterable[int], years: Iterable[int]
) -> dict[tuple[int, int], PlatformSales]:
    """fieldwork.selectors.platform_sales_for for many households at once, by
    household and year (households without sales are left out): one query a year,
    where the service's one per household and year is slow over a year of orders."""
    households = list(households)
    sales = {}
    for year in years:
        rows = (
            completed_sales(year)
            .filter(farmer__household__in=households)
            .values("farmer__household")
            .annotate(total=Sum("total"), orders=Count("pk"))
            .values_list("farmer__household", "total", "orders")
        )
        for household, total, orders in rows:
            sales[household, year] = PlatformSales(to_fen(total), orders)
    return sales


def sellers(farmer_names: list[str], year: int) -> set[int]:
    """Households of the named farmers with completed platform sales in `year`."""
    return set(
        completed_sales(year)
        .filter(farmer__user__username__in=farmer_names)
        .values_list("farmer__household_id", flat=True)
        .distinct()
    )


def choose_households(
    rng: random.Random, teams: list[Team], among: set[int], registered: int, others: int
) -> list[tuple[Team, Member]]:
    """A random sample of the households in `among`: `registered` registered poor
    ones and `others` not (fewer if there are not enough), in username order."""
    seen, pool = set(), []
    for team in teams:
        for member in team.farmers:
            if member.household_id in among and member.household_id not in seen:
                seen.add(member.household_id)
                pool.append((team, member))
    pool.sort(key=lambda pair: pair[1].username)
    chosen = []
    for kind, count in ((True, registered), (False, others)):
        kinds = [pair for pair in pool if pair[1].registered is kind]
        chosen += rng.sample(kinds, min(count, len(kinds)))
    return sorted(chosen, key=lambda pair: pair[1].username)


# Entry points for seed_demo ---------------------------------------------------------


@transaction.atomic
def seed_small_fieldwork(
    rng: random.Random,
    *,
    farmer_names: list[str],
    reference: datetime = SMALL_REFERENCE,
    surveyed_per_assistant: int = 2,
) -> Added:
    """The small team's recent field work before `reference` (a fixed moment): three
    sessions each, a visit or two to every household, and, for the first
    `surveyed_per_assistant` households of each assistant, surveys for the
    reference year (taken in its autumn, with the recent platform sales) and the
    year before (taken in its December)."""
    teams = teams_of(farmer_names)
    end = reference.date() - timedelta(days=1)
    start = end - timedelta(days=89)
    sessions = plan_sessions(
        rng,
        teams,
        [(start, end)],
        per_period=(3, 3),
        attendance=(2, 4),
        online_share=0.3,
    )
    visits, surveyed, days = [], [], {}
    before, this = SMALL_YEARS
    for team in teams:
        for n, member in enumerate(team.farmers):
            visits += plan_visits(rng, team, member, start, end, rng.randint(1, 2))
            if n >= surveyed_per_assistant:
                continue
            surveyed.append((team, member))
            for year, first, last in (
                (before, date(before, 12, 1), date(before, 12, 20)),
                (this, end - timedelta(days=20), end),
            ):
                visit = survey_visit(rng, team, member, first, last)
                visits.append(visit)
                days[member.household_id, year] = visit.visited_on
    surveys = plan_surveys(rng, surveyed, SMALL_YEARS, days)
    return write_sessions(sessions) + write_visits(visits) + write_surveys(surveys)


@transaction.atomic
def seed_year_fieldwork(
    rng: random.Random,
    *,
    farmer_names: list[str],
    years: tuple[int, int],
    registered: int,
    others: int,
) -> Added:
    """Field work over `years` for the named farmers' assistants: 2 to 4 sessions a
    quarter each (5 to 25 of their farmers attending), and a sample of the
    households selling in the last year surveyed for each year, on a late-autumn
    visit, with 1 to 3 other visits a year."""
    teams = teams_of(farmer_names)
    sessions = plan_sessions(
        rng,
        teams,
        _quarters(years),
        per_period=(2, 4),
        attendance=(5, 25),
        online_share=0.15,
    )
    surveyed = choose_households(
        rng, teams, sellers(farmer_names, years[-1]), registered, others
    )
    visits, days = [], {}
    for team, member in surveyed:
        for year in years:
            survey = survey_visit(
                rng, team, member, date(year, 11, 15), date(year, 12, 20)
            )
            days[member.household_id, year] = survey.visited_on
            others_before = plan_visits(
                rng,
                team,
                member,
                date(year, 1, 10),
                survey.visited_on - timedelta(days=7),
                rng.randint(1, 3),
            )
            visits += [*others_before, survey]
    surveys = plan_surveys(rng, surveyed, years, days)
    return write_sessions(sessions) + write_visits(visits) + write_surveys(surveys)
