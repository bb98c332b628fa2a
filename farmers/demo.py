"""Demo people for seed_demo: assistants in a county, farmers with their households
(some registered poor households), and who manages whom. Bulk inserts, so the
county-c-2018 preset's 2,000 farmers take seconds; idempotent by username."""

import random
from datetime import date

from django.db import transaction

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from counties.models import County
from farmers.models import Farmer, Household, PovertyCause, RegisterStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = [
    "秀英",
    "桂英",
    "建国",
    "志强",
    "海燕",
    "玉兰",
    "明",
    "伟",
    "芳",
    "军",
    "丽",
    "强",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
]
PRODUCE = [
    "蜂蜜",
    "高山茶",
    "香菇",
    "核桃",
    "大米",
    "辣椒酱",
    "土鸡蛋",
    "木耳",
    "板栗",
    "刺绣",
]
SUPPORT = [
    "产业扶持：养蜂技术培训",
    "电商培训与店铺运营指导",
    "小额信贷贴息",
    "公益岗位",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _ensure_users(rng, usernames: list[str], role: str, password: str) -> list[User]:
    """Create the missing users (with the demo password hash); return all, in order."""
    existing = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(username=name, first_name=_name(rng), role=role, password=password)
            for name in usernames
            if name not in existing
        ]
    )
    by_name = User.objects.in_bulk(usernames, field_name="username")
    return [by_name[name] for name in usernames]


@transaction.atomic
def seed_people(
    rng: random.Random,
    *,
    county: County,
    assistant_names: list[str],
    farmer_names: list[str],
    phone_prefix: str,
    password: str,
    unassigned: int = 0,
) -> None:
    """Assistants in `county` and farmers spread over its villages, each farmer
    assigned round-robin (the last `unassigned` farmers have no assistant)."""
    villages = list(county.villages.order_by("name"))
    assistant_users = _ensure_users(rng, assistant_names, Role.ASSISTANT, password)
    Assistant.objects.bulk_create(
        [Assistant(user=user, county=county) for user in assistant_users],
        ignore_conflicts=True,
    )
    assistants = list(
        Assistant.objects.filter(user__in=assistant_users).order_by("user__username")
    )

    have_profile = set(
        Farmer.objects.filter(user__username__in=farmer_names).values_list(
            "user__username", flat=True
        )
    )
    todo = [
        (i, name) for i, name in enumerate(farmer_names) if name not in have_profile
    ]
    if not todo:
        return
    users = _ensure_users(rng, [name for _i, name in todo], Role.FARMER, password)
    households = []
    for (i, _username), user in zip(todo, users, strict=True):
        registered = rng.random() < 0.6
        year = rng.randint(2014, 2017)
        number = f"{county.code}{year}{phone_prefix[3:]}{i:04d}"
        households.append(
            Household(
                village=villages[i % len(villages)],
                head_name=user.first_name,
                members=rng.randint(1, 7),
                status=RegisterStatus.REGISTERED
                if registered
                else RegisterStatus.NEVER_REGISTERED,
                registration_number=number if registered else "",
                registration_year=year if registered else None,
                poverty_causes=sorted(
                    rng.sample(PovertyCause.values, rng.randint(1, 2))
                )
                if registered
                else [],
                support_measures=rng.choice(SUPPORT) if registered else "",
                expected_exit_year=rng.randint(2018, 2020) if registered else None,
            )
        )
    Household.objects.bulk_create(households)
    farmers = Farmer.objects.bulk_create(
        [
            Farmer(
                user=user,
                household=household,
                phone=f"{phone_prefix}{i:04d}",
                shop_name=f"{user.first_name}的{rng.choice(PRODUCE)}小店",
                slug=f"shop-{user.username}".replace("_", "-"),
            )
            for (i, _username), user, household in zip(
                todo, users, households, strict=True
            )
        ]
    )
    assignable = len(farmer_names) - unassigned
    Assignment.objects.bulk_create(
        [
            Assignment(
                farmer=farmer,
                assistant=assistants[i % len(assistants)],
                started_on=date(2018, 1, 1 + i % 28),
                assigned_by=assistants[i % len(assistants)].user,
            )
            for (i, _username), farmer in zip(todo, farmers, strict=True)
            if i < assignable
        ]
    )
