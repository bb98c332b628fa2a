"""Demo users for seed_demo: one per role, sharing one printed password."""

from django.db import transaction

from accounts.models import Role, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for local demos only
# (username, role, name). A name is written as its owner writes it, family name
# first, whole in first_name (see docs/ARCHITECTURE.md, "People's names").
DEMO_USERS = [
    ("demo_buyer", Role.BUYER, "陈静"),
    ("demo_farmer", Role.FARMER, "王秀英"),
    ("demo_assistant", Role.ASSISTANT, "李建国"),
    ("demo_official", Role.OFFICIAL, "张伟"),
    ("demo_staff", Role.STAFF, "刘芳"),
]


@transaction.atomic
def seed_demo_users(official_counties) -> list[User]:
    users = []
    for username, role, name in DEMO_USERS:
        is_staff = role == Role.STAFF
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "is_staff": is_staff,
                "is_superuser": is_staff,
                "first_name": name,
            },
        )
        if not user.first_name:  # seeded before demo users had names
            user.first_name = name
            user.save(update_fields=["first_name"])
        if created:
            # Only on creation: re-hashing would change the row on every run.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.OFFICIAL:
            user.counties.add(*official_counties)
        users.append(user)
    return users
