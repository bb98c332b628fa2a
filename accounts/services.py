"""Writes about users: buyer sign-up."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User


@transaction.atomic
def buyer_sign_up(*, username: str, email: str, password: str) -> User:
    """Create a buyer account; the caller has validated the input with SignUpForm.
    Two sign-ups racing for one name or e-mail: the loser gets a message."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, email=email, password=password, role=Role.BUYER
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This username or e-mail was registered a moment ago. Try another."),
            code="race",
        ) from exc
