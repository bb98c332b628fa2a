"""Which channels a notification goes by, beside the in-app message that is
always kept: the one rule (notify() follows it, the settings page shows it).

- **E-mail** to a user with an address; **SMS** to a user with a verified phone,
  for the kinds that have a text message (SMS_PURPOSE: the template each fills).
- **Defaults follow the user:** e-mail when they have an address; SMS when they
  have a verified phone and no address (most farmers).
- **Each user may turn a kind's e-mail and SMS on or off** (Preference). Security
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


def chosen_channels(user) -> dict[str, Channels]:
    """The user's choice for each kind they set one for."""
    return {
        kind: Channels(email=email, sms=sms)
        for kind, email, sms in Preference.objects.filter(user=user).values_list(
            "kind", "email", "sms"
        )
    }


def channels_for(user, kind: str) -> Channels:
    """Where a notification of `kind` to `user` goes: their choice, else the
    defaults, by the channels they can be reached by."""
    preference = Preference.objects.filter(user=user, kind=kind).first()
    wanted = (
        Channels(email=preference.email, sms=preference.sms)
        if preference
        else default_channels(user)
    )
    return Channels(
        email=wanted.email and bool(user.email),
        sms=wanted.sms and user.phone_verified and kind in SMS_PURPOSE,
    )
