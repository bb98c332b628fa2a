"""Writes about users: buyer sign-up, revoking a user's API tokens."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

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


@transaction.atomic
def tokens_revoke(*, user: User) -> int:
    """Delete `user`'s API tokens (DRF's authtoken: one per user); a client holding
    one must sign in at /api/token/ again. Returns how many were deleted.
    Called when the password changes or the account is deactivated
    (accounts/signals.py)."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted
