"""Codes sent by SMS: to sign in with a verified phone, or to verify one.

- A code is 6 random digits, kept as an HMAC keyed with SECRET_KEY; it works
  once, for PHONE_CODE_MINUTES, and dies after PHONE_CODE_GUESSES wrong tries.
- Asking for codes is limited: one number gets one a PHONE_CODE_GAP_SECONDS
  and PHONE_CODES_PER_HOUR an hour; one address asks PHONE_CODES_PER_ADDRESS_HOUR
  times an hour. A number with no account is answered as any other (nothing
  says whether it has one), and counts the same.
- Wrong codes at sign-in also count towards django-axes' lockout of the number
  and address, as wrong passwords do (PhoneCodeBackend)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import PhoneCode, User
from sms.services import sms_queue

Purpose = PhoneCode.Purpose
SMS_PURPOSE = {Purpose.SIGN_IN: "sign_in_code", Purpose.VERIFY: "phone_code"}


def _hash(phone: str, code: str) -> str:
    return salted_hmac(
        "accounts.phone_codes", f"{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def signs_in_by_phone(phone: str):
    """The active user this verified phone signs in, or None."""
    return User.objects.filter(
        phone=phone, phone_verified_at__isnull=False, is_active=True
    ).first()


def _wait(seconds: float) -> ValidationError:
    minutes = max(1, round(seconds / 60))
    if seconds < 90:
        message = ngettext(
            "A code was sent a moment ago. Ask again in %(n)d second.",
            "A code was sent a moment ago. Ask again in %(n)d seconds.",
            round(seconds),
        ) % {"n": max(1, round(seconds))}
    else:
        message = ngettext(
            "Too many codes asked for. Try again in %(n)d minute.",
            "Too many codes asked for. Try again in %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    return ValidationError(message, code="too_many_codes")


def _check_limits(phone: str, ip: str | None, now) -> None:
    hour_ago = now - timedelta(hours=1)
    recent = PhoneCode.objects.filter(phone=phone, created_at__gt=hour_ago)
    last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
    gap = timedelta(seconds=settings.PHONE_CODE_GAP_SECONDS)
    if last and now - last < gap:
        raise _wait((last + gap - now).total_seconds())
    times = list(recent.order_by("created_at").values_list("created_at", flat=True))
    if len(times) >= settings.PHONE_CODES_PER_HOUR:
        raise _wait((times[0] + timedelta(hours=1) - now).total_seconds())
    if ip:
        from_address = PhoneCode.objects.filter(ip_address=ip, created_at__gt=hour_ago)
        first = from_address.order_by("created_at").values_list("created_at", flat=True)
        if from_address.count() >= settings.PHONE_CODES_PER_ADDRESS_HOUR:
            raise _wait((first[0] + timedelta(hours=1) - now).total_seconds())


@transaction.atomic
def phone_code_send(*, phone: str, purpose: str, ip: str | None, user=None) -> None:
    """Send a code to `phone`, or refuse with a message saying when to ask again.
    To sign in: to the account this verified phone signs in, if there is one. To
    verify: to `user`, who is adding the phone; one another account holds is
    refused."""
    now = timezone.now()
    if purpose == Purpose.SIGN_IN:
        user = signs_in_by_phone(phone)
    elif User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("This number belongs to another account."), code="phone_taken"
        )
    # Taken under a lock on nothing but time: two requests a moment apart may
    # both pass; the next minute's do not.
    _check_limits(phone, ip, now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        user=user,
        code_hash=_hash(phone, code),
        ip_address=ip,
        expires_at=now + timedelta(minutes=settings.PHONE_CODE_MINUTES),
    )
    if user is not None:
        sms_queue(
            phone=phone,
            purpose=SMS_PURPOSE[purpose],
            params={"code": code},
            recipient=user,
            urgent=True,
        )


@transaction.atomic
def phone_code_use(*, phone: str, purpose: str, code: str, user=None):
    """The user a right code for `phone` belongs to (the code is used up), or
    None. Only the latest code counts; a wrong guess brings it closer to dying."""
    latest = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-pk")
        .first()
    )
    now = timezone.now()
    if (
        latest is None
        or latest.user_id is None
        or (user is not None and latest.user_id != user.pk)
        or latest.used_at is not None
        or latest.expires_at <= now
        or latest.wrong_guesses >= settings.PHONE_CODE_GUESSES
    ):
        return None
    if not constant_time_compare(latest.code_hash, _hash(phone, str(code))):
        PhoneCode.objects.filter(pk=latest.pk).update(
            wrong_guesses=F("wrong_guesses") + 1
        )
        return None
    latest.used_at = now
    latest.save(update_fields=["used_at"])
    return latest.user


@transaction.atomic
def phone_verify(*, user, phone: str, code: str) -> User:
    """Make `phone` the user's verified phone, with the code sent to it."""
    if (
        phone_code_use(phone=phone, purpose=Purpose.VERIFY, code=code, user=user)
        is None
    ):
        raise ValidationError(
            _("The code is wrong or has expired. Ask for a new one."),
            code="wrong_code",
        )
    user.phone, user.phone_verified_at = phone, timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["phone", "phone_verified_at"])
    except IntegrityError as exc:  # another account took it meanwhile
        raise ValidationError(
            _("This number belongs to another account."), code="phone_taken"
        ) from exc
    return user
