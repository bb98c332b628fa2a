"""Writes about users: buyer sign-up."""

from django.db import transaction

from accounts.models import Role, User


@transaction.atomic
def buyer_sign_up(*, username: str, email: str, password: str) -> User:
    """Create a buyer account; the caller has validated the input with SignUpForm."""
    return User.objects.create_user(
        username=username, email=email, password=password, role=Role.BUYER
    )
