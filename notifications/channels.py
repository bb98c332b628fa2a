"""Which channels a notification goes by, beside the in-app message that is
always kept: the one rule (notify() follows it, the settings page shows it).

- **E-mail** to a user with an address; **SMS** to a user with a verified phone,
  for the kinds that have a text message (SMS_PURPOSE: the template each fills).
- **Defaults follow the user:** e-mail when they have an address; SMS when they
  have a verified phone and no address (most farmers).
- **Each user may turn a kind's e-mail and SMS on or off** (Preference); a
  channel that could not reach them when they chose (no address, no verified
  phone) is left unchosen, so its default applies once it can. Security
  messages (sign-in codes, set-password links) are not notifications: they are
  always sent (accounts.phone_codes, assistants)."""

from dataclasses import dataclass

from accounts.models import Role
from notifications.models import Notification, Preference

Kind = Notification.Kind

# The kinds that have a text message, and the template (settings.SMS_TEMPLATES)
# each fills; a kind's app says what goes in it (notifications.messages).
SMS_PURPOSE = {
    Kind.ORDER_PAID: "order_paid",
    Kind.SHIP_SOON: "ship_soon",
    Kind.ORDER_SHIPPED: "order_shipped",
    Kind.LISTING_APPROVED: "listing_approved",
    Kind.LISTING_REJECTED: "listing_rejected",
    Kind.PAYOUT_SENT: "payout_sent",
    Kind.PAYOUT_HELD: "payout_held",
    Kind.FARMER_NEEDS_HELP: "farmer_overdue",
}

# The kinds each role receives, in the order the settings page lists them.
AUDIENCE = {
    Role.FARMER: [
        Kind.ORDER_PAID,
        Kind.SHIP_SOON,
        Kind.LISTING_APPROVED,
        Kind.LISTING_REJECTED,
        Kind.PAYOUT_SENT,
        Kind.PAYOUT_HELD,
        Kind.PAYOUT_FAILED,
        Kind.PAYOUT_ACCOUNT_TO_CHECK,
        Kind.AFTERSALE,
    ],
    Role.BUYER: [
        Kind.ORDER_SHIPPED,
        Kind.ORDER_COMPLETES_SOON,
        Kind.AFTERSALE,
        Kind.UNIT_GOODS_DECIDED,
        Kind.UNIT_PAYMENT_OVERDUE,
    ],
    Role.ASSISTANT: [
        Kind.FARMER_ORDER_PAID,
        Kind.FARMER_NEEDS_HELP,
        Kind.PAYOUT_HELD,
        Kind.PAYOUT_ACCOUNT_TO_CHECK,
        Kind.AFTERSALE,
    ],
    Role.OFFICIAL: [],
    Role.STAFF: [Kind.PAYMENTS_TO_CHECK, Kind.REFUND_FAILED, Kind.AFTERSALE],
}


@dataclass(frozen=True)
class Channels:
    email: bool
    sms: bool


def default_channels(user) -> Channels:
    return Channels(email=bool(user.email), sms=user.phone_verified and not user.email)


def _wanted(user, email, sms) -> Channels:
    """A choice, the defaults where none was made (None)."""
    default = default_channels(user)
    return Channels(
        email=default.email if email is None else email,
        sms=default.sms if sms is None else sms,
    )


def chosen_channels(user) -> dict[str, Channels]:
    """What the user wants of each kind: their choice, else the defaults."""
    chosen = {
        kind: _wanted(user, email, sms)
        for kind, email, sms in Preference.objects.filter(user=user).values_list(
            "kind", "email", "sms"
        )
    }
    default = default_channels(user)
    return {kind: chosen.get(kind, default) for kind in Kind.values}


def channels_for(user, kind: str) -> Channels:
    """Where a notification of `kind` to `user` goes: what they want of it, by
    the channels they can be reached by."""
    preference = Preference.objects.filter(user=user, kind=kind).first()
    wanted = (
        _wanted(user, preference.email, preference.sms)
        if preference
        else default_channels(user)
    )
    return Channels(
        email=wanted.email and bool(user.email),
        sms=wanted.sms and user.phone_verified and kind in SMS_PURPOSE,
    )
