"""Demo field work for seed_demo: training sessions, visits and income surveys."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Sum

from assistants.selectors import assignments_in_force
from common.money import to_fen
from counties.selectors import poverty_line_for
from farmers.models import Household, RegisterStatus
from fieldwork.models import (
    Attendance,
    IncomeSurvey,
    SkillTopic,
    TrainingSession,
    Visit,
    VisitPurpose,
)
from fieldwork.selectors import PlatformSales, completed_sales
from orders.demo import CHINA, SMALL_REFERENCE

BATCH = 1000
UPDATE_BATCH = 250  # bulk_update's CASE grows with the batch
HOURS = [Decimal(h) for h in ("2", "2.5", "3", "3.5", "4")]
# Where a session is held, after the village's name (which ends in 村):
# 和平村电商服务站; the village committee is 和平村村委会. An assistant types the
# location, in Chinese, so the demo's are Chinese too.
PLACES = ["村委会", "电商服务站", "合作社", "小学教室"]
TOPIC_NOTES = {
    SkillTopic.PHOTOGRAPHY: "用手机在自然光下拍主图，背景要干净。",
    SkillTopic.PRICING: "按成本、包装和运费核算价格，不盲目降价。",
    SkillTopic.LISTINGS: "标题写清产地、规格和重量，详情页配实拍图。",
    SkillTopic.CUSTOMER_SERVICE: "及时回复买家，差评先沟通再处理。",
    SkillTopic.PACKAGING: "易碎品加泡沫，生鲜当天发货。",
    SkillTopic.LIVE_STREAMING: "练习直播介绍产品，提前准备样品。",
    SkillTopic.BOOKKEEPING: "每笔收入和支出都记账，月底对账。",
    SkillTopic.FOOD_SAFETY: "讲解食品标签、保质期和检测要求。",
}
CHALLENGES = [
    "缺少冷链物流",
    "包装成本高",
    "网店运营不熟练",
    "快递网点远，发货慢",
    "产品图片拍得不好",
    "产量小，货源不稳定",
    "山路远，物流成本高",
    "不会定价",
    "家里缺劳动力",
    "手机信号差",
]
SUPPORT_NEEDED = [
    "需要电商培训",
    "需要小额贷款",
    "需要统一包装设计",
    "需要冷藏设备",
    "需要产品检测认证",
    "需要物流补贴",
    "需要直播带货指导",
]
# Other visits than the survey's: purpose, and how often challenges and support
# needs are noted.
VISIT_PURPOSES = {
    VisitPurpose.FOLLOW_UP: (5, 0.5, 0.4),
    VisitPurpose.PROBLEM: (2, 1.0, 0.7),
    VisitPurpose.VERIFY: (1, 0.1, 0.1),
    VisitPurpose.TRAINING: (2, 0.3, 0.5),
}
SURVEY_NOTES = (0.4, 0.5)
SMALL_YEARS = (SMALL_REFERENCE.year - 1, SMALL_REFERENCE.year)
NO_SALES = PlatformSales(total=Decimal("0.00"), orders=0)


class Member(NamedTuple):
    """A farmer in an assistant's team, and their household."""

    username: str
    farmer_id: int
    household_id: int
    registered: bool
    village: str


@dataclass
class Team:
    assistant_id: int
    user_id: int
    farmers: list[Member]


class Added(NamedTuple):
    sessions: int = 0
    attendance: int = 0
    visits: int = 0
    surveys: int = 0

    def __add__(self, other):
        return Added(*(a + b for a, b in zip(self, other, strict=True)))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), CHINA)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _quarters(years: Iterable[int]) -> list[tuple[date, date]]:
    return [
        (date(y, m, 1), date(y + (m == 10), (m + 2) % 12 + 1, 1) - timedelta(days=1))
        for y in years
        for m in (1, 4, 7, 10)
    ]


def teams_of(farmer_names: list[str]) -> list[Team]:
    """The named farmers' current assistants with those of them they manage, by
    username (farmers without an assistant are left out)."""
    teams: dict[int, Team] = {}
    rows = (
        assignments_in_force()
        .filter(farmer__user__username__in=farmer_names)
        .order_by("assistant__user__username", "farmer__user__username")
        .values_list(
            "assistant_id",
            "assistant__user_id",
            "farmer__user__username",
            "farmer_id",
            "farmer__household_id",
            "farmer__household__status",
            "farmer__household__village__name",
        )
    )
    for assistant_id, user_id, username, farmer, household, status, village in rows:
        team = teams.setdefault(assistant_id, Team(assistant_id, user_id, []))
        registered = status == RegisterStatus.REGISTERED
        team.farmers.append(Member(username, farmer, household, registered, village))
    return list(teams.values())


# Training -------------------------------------------------------------------------


def plan_sessions(
    rng: random.Random,
    teams: list[Team],
    periods: list[tuple[date, date]],
    *,
    per_period: tuple[int, int],
    attendance: tuple[int, int],
    online_share: float,
) -> list[tuple[TrainingSession, list[int]]]:
    """Sessions each assistant gave in each period, and which of their farmers came."""
    planned = []
    for team in teams:
        for start, end in periods:
            days = sorted(
                _day(rng, start, end) for _ in range(rng.randint(*per_period))
            )
            for day in days:
                low, high = (min(n, len(team.farmers)) for n in attendance)
                group = rng.sample(team.farmers, rng.randint(low, high))
                picked = set(rng.sample(SkillTopic.values, rng.randint(1, 3)))
                topics = [topic for topic in SkillTopic.values if topic in picked]
                online = rng.random() < online_share
                place = "" if online else f"{group[0].village}{rng.choice(PLACES)}"
                notes = TOPIC_NOTES[topics[0]] if rng.random() < 0.6 else ""
                session = TrainingSession(
                    assistant_id=team.assistant_id,
                    held_on=day,
                    hours=rng.choice(HOURS),
                    online=online,
                    location=place,
                    topics=topics,
                    notes=notes,
                )
                planned.append((session, [member.farmer_id for member in group]))
    return planned


def write_sessions(planned: list[tuple[TrainingSession, list[int]]]) -> Added:
    """Insert the sessions and their attendance, unless the set's first session is
    there already; recorded on the evening of the day they were held."""
    if not planned:
        return Added()
    first = planned[0][0]
    if TrainingSession.objects.filter(
        assistant_id=first.assistant_id,
        held_on=first.held_on,
        hours=first.hours,
        location=first.location,
        notes=first.notes,
    ).exists():
        return Added()
    sessions = TrainingSession.objects.bulk_create(
        [session for session, _farmers in planned], batch_size=BATCH
    )
    for session in sessions:
        session.created_at = _at(session.held_on, 19)
    TrainingSession.objects.bulk_update(
        sessions, ["created_at"], batch_size=UPDATE_BATCH
    )
    rows = [
        Attendance(session=session, farmer_id=farmer)
        for session, (_planned, farmers) in zip(sessions, planned, strict=True)
        for farmer in farmers
    ]
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    return Added(sessions=len(sessions), attendance=len(rows))


# Visits ---------------------------------------------------------------------------


def _notes(rng: random.Random, items: list[str], share: float) -> str:
    if rng.random() >= share:
        return ""
    return "；".join(rng.sample(items, rng.randint(1, 2)))


def _visit(rng, team: Team, member: Member, day: date, purpose: str, notes) -> Visit:
    return Visit(
        assistant_id=team.assistant_id,
        household_id=member.household_id,
        visited_on=day,
        purpose=purpose,
        challenges=_notes(rng, CHALLENGES, notes[0]),
        support_needed=_notes(rng, SUPPORT_NEEDED, notes[1]),
    )


def plan_visits(
    rng: random.Random,
    team: Team,
    member: Member,
    start: date,
    end: date,
    count: int,
) -> list[Visit]:
    """`count` visits to the member's household between `start` and `end`."""
    purposes = list(VISIT_PURPOSES)
    weights = [VISIT_PURPOSES[p][0] for p in purposes]
    visits = []
    for day in sorted(_day(rng, start, end) for _ in range(count)):
        purpose = rng.choices(purposes, weights=weights)[0]
        visits.append(
            _visit(rng, team, member, day, purpose, VISIT_PURPOSES[purpose][1:])
        )
    return visits


def survey_visit(rng, team: Team, member: Member, start: date, end: date) -> Visit:
    """The visit on which the year's income survey was taken."""
    day = _day(rng, start, end)
    return _visit(rng, team, member, day, VisitPurpose.SURVEY, SURVEY_NOTES)


def write_visits(visits: list[Visit]) -> Added:
    """Insert the visits unless the set's first one is there already; recorded on
    the evening of the visit."""
    if not visits:
        return Added()
    first = visits[0]
    if Visit.objects.filter(
        assistant_id=first.assistant_id,
        household_id=first.household_id,
        visited_on=first.visited_on,
        purpose=first.purpose,
        challenges=first.challenges,
    ).exists():
        return Added()
    visits = Visit.objects.bulk_create(visits, batch_size=BATCH)
    for visit in visits:
        visit.created_at = _at(visit.visited_on, 20)
    Visit.objects.bulk_update(visits, ["created_at"], batch_size=UPDATE_BATCH)
    return Added(visits=len(visits))


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
