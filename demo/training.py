"""Demo field work for seed_demo: the assistants' teams, training and visits."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from assistants.selectors import assignments_in_force
from demo.shoppers import CHINA, SMALL_REFERENCE
from farmers.models import RegisterStatus
from fieldwork.models import (
    Attendance,
    SkillTopic,
    TrainingSession,
    Visit,
    VisitPurpose,
)
from fieldwork.selectors import PlatformSales

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
