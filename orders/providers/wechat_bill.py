"""WeChat Pay's trade bill of a day (交易账单, bill_type ALL), read for the
reconciliation: the downloaded file (gzip) is checked against the SHA1 WeChat
gave for it, then its rows read by their column names. The file is a header
line, one line per payment or refund whose every field starts with a backtick
(`2024-05-01 10:00:00,`wx…,`1900000109,…), then a summary header and line."""

import gzip
import hashlib
import re
import uuid
import zlib
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from orders.providers.base import ProviderError, StatementLine

HEX_REFERENCE = re.compile(r"[0-9a-f]{32}")
# Our columns, and the older name of each where the bill may use that instead.
STATE = "交易状态"
TRANSACTION = "微信订单号"
REFERENCE = "商户订单号"
AMOUNT = ("订单金额", "应结订单金额")
REFUND_NO = "商户退款单号"
REFUND_AMOUNT = ("申请退款金额", "退款金额")
SUMMARY = "总交易单数"


def _unreadable() -> ProviderError:
    return ProviderError(_("WeChat Pay's bill could not be read."))


def bill_text(raw: bytes, answer: dict) -> str:
    """The bill's text, if its digest is the one the bill request answered."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):
            raise _unreadable() from None
    expected = answer.get("hash_value")
    if expected is not None:
        if answer.get("hash_type") != "SHA1" or not isinstance(expected, str):
            raise _unreadable()
        if hashlib.sha1(raw).hexdigest() != expected.lower():
            raise ProviderError(_("WeChat Pay's bill does not match its digest."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable() from None


def _column(header: list[str], names) -> int:
    for name in (names,) if isinstance(names, str) else names:
        if name in header:
            return header.index(name)
    raise _unreadable()


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _unreadable() from None
    if not value.is_finite():
        raise _unreadable()
    return value


def _reference(out_trade_no: str) -> str:
    """Our payment's reference as the platform writes it (a trade not ours
    keeps its number, for the reconciliation to report)."""
    if HEX_REFERENCE.fullmatch(out_trade_no):
        return str(uuid.UUID(hex=out_trade_no))
    return out_trade_no


def statement_lines(text: str) -> list[StatementLine]:
    """The bill's payments (state SUCCESS) and refunds (state REFUND)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = [name.strip() for name in lines[0].split(",")]
    at = {
        "state": _column(header, STATE),
        "transaction": _column(header, TRANSACTION),
        "reference": _column(header, REFERENCE),
        "amount": _column(header, AMOUNT),
        "refund_no": _column(header, REFUND_NO),
        "refund_amount": _column(header, REFUND_AMOUNT),
    }
    found = []
    for line in lines[1:]:
        if line.startswith(SUMMARY):
            break
        if not line.startswith("`"):
            raise _unreadable()
        fields = [field.strip() for field in line[1:].split(",`")]
        if len(fields) != len(header):
            raise _unreadable()
        state = fields[at["state"]]
        common = {
            "reference": _reference(fields[at["reference"]]),
            "transaction_id": fields[at["transaction"]],
        }
        if state == "SUCCESS":
            found.append(
                StatementLine(
                    kind="payment", amount=_amount(fields[at["amount"]]), **common
                )
            )
        elif state == "REFUND":
            found.append(
                StatementLine(
                    kind="refund",
                    amount=_amount(fields[at["refund_amount"]]),
                    refund_id=fields[at["refund_no"]],
                    **common,
                )
            )
    return found
