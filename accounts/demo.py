"""Demo users for seed_demo: one per role, sharing one printed password."""

from django.db import transaction

from accounts.models import Role, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for local demos only
DEMO_USERS = [
    ("demo_buyer", Role.BUYER),
    ("demo_farmer", Role.FARMER),
    ("demo_assistant", Role.ASSISTANT),
    ("demo_official", Role.OFFICIAL),
    ("demo_staff", Role.STAFF),
]


@transaction.atomic
def seed_demo_users(official_counties) -> list[User]:
    users = []
    for username, role in DEMO_USERS:
        is_staff = role == Role.STAFF
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if created:
            # Only on creation: re-hashing would change the row on every run.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.OFFICIAL:
            user.counties.add(*official_counties)
        users.append(user)
    return users
