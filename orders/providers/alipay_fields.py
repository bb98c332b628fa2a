"""The fields Alipay sends and is sent, checked and written: amounts (yuan, at
most two places), tokens, the notification body (form data, each field once),
notify_time (China time, within the window Alipay resends a notification in) and
the subject the buyer sees on Alipay's cashier."""

import datetime
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import parse_qsl

from django.utils import timezone
from django.utils.translation import gettext as _

from common.money import round_half_up
from orders.providers.alipay_client import CHINA, TIME_FORMAT
from orders.providers.base import InvalidCallback, ProviderError

# Alipay resends a notification not answered "success" for 25 hours (8 times);
# the notify_id (WebhookReceipt) refuses a replay inside that window.
MAX_AGE = datetime.timedelta(hours=26)
MAX_AHEAD = datetime.timedelta(minutes=5)  # clocks a little apart
MAX_FIELDS = 100

AMOUNT = re.compile(r"(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOKEN = re.compile(r"[0-9A-Za-z_.\-]{1,64}")
NOTIFY_ID = re.compile(r"[0-9A-Za-z_.\-]{1,128}")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
# Alipay refuses these in a subject.
SUBJECT_UNSAFE = re.compile(r"[/=&?#%+\\\"'<>\s]+")
SUBJECT_MAX = 256


def amount_of(value, *, field: str = "amount") -> Decimal:
    """An amount of a notification (yuan, at most two places)."""
    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        raise InvalidCallback(f"malformed {field}")
    return Decimal(value)


def answered_amount(value) -> Decimal:
    """An amount in an answer of Alipay's API."""
    if not isinstance(value, str) or not AMOUNT.fullmatch(value):
        raise ProviderError(_("Alipay sent an amount that is not one."))
    return Decimal(value)


def yuan(amount: Decimal) -> str:
    """An amount as Alipay wants it: yuan with two places."""
    return f"{round_half_up(amount):.2f}"


def token(fields: Mapping, key: str, pattern=TOKEN) -> str:
    value = fields.get(key)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InvalidCallback(f"malformed {key}")
    return value


def form(body: bytes) -> dict[str, str]:
    """The fields of a form-encoded body; a repeated field, or a body that is not
    form data, is InvalidCallback."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidCallback("malformed body") from exc
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidCallback("repeated field")
    return fields


def fresh(value) -> None:
    """A notify_time (China time) within the window Alipay resends in."""
    if not isinstance(value, str) or not TIME.fullmatch(value):
        raise InvalidCallback("malformed notify_time")
    try:
        sent = datetime.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=CHINA)
    except ValueError as exc:
        raise InvalidCallback("malformed notify_time") from exc
    age = timezone.now() - sent
    if not -MAX_AHEAD <= age <= MAX_AGE:
        raise InvalidCallback("stale notification")


def subject(orders) -> str:
    """The shops' names, as Alipay shows the buyer what they pay for."""
    names = dict.fromkeys(order.farmer.shop_name for order in orders)
    text = SUBJECT_UNSAFE.sub(" ", ", ".join(names)).strip()
    return text[:SUBJECT_MAX] or "-"


def nonce_of(fields: Mapping) -> str:
    """The notification's notify_id, as a WebhookReceipt nonce (at most 64)."""
    notify_id = token(fields, "notify_id", NOTIFY_ID)
    if len(notify_id) <= 64:
        return notify_id
    return hashlib.sha256(notify_id.encode()).hexdigest()
