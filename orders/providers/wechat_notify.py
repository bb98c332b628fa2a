"""WeChat Pay's notifications (API v3): the signature headers checked (fresh,
from a key we hold), the signature verified and the resource decrypted by the
SDK, and the decrypted payment or refund read field by field, each field's type
checked before it is used, so a notification that is not exactly as WeChat
documents it is an InvalidCallback, never another exception."""

import hashlib
import json
import re
import time
import uuid
from collections.abc import Mapping

from orders.providers.base import Callback, InvalidCallback, RefundCallback
from orders.providers.wechat_client import Config, client_for, yuan

MAX_AGE_SECONDS = 300
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
HEADERS = ("Signature", "Timestamp", "Nonce", "Serial")
OUT_TRADE_NO = re.compile(r"[0-9a-f]{32}")
HEX_SERIAL = re.compile(r"[0-9A-Fa-f]{1,64}")
REFUND_EVENTS = {"REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"}
PAID_EVENT = "TRANSACTION.SUCCESS"


def _text(data: dict, key: str, *, limit: int = 64) -> str:
    """A field that must be a non-empty JSON string (of at most `limit`)."""
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise InvalidCallback(f"malformed {key}")
    return value


def _object(data: dict, key: str) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise InvalidCallback(f"malformed {key}")
    return value


def _fen(data: dict, key: str) -> int:
    value = data.get(key)
    if type(value) is not int or value <= 0:  # not a bool, a float or a string
        raise InvalidCallback(f"malformed amount {key}")
    return value


def _signature_headers(headers: Mapping[str, str], config: Config) -> dict:
    """The Wechatpay-* headers, as the SDK reads them, if they are present,
    fresh and name a key we verify with."""
    given = {str(name).lower(): value for name, value in headers.items()}
    found = {}
    for part in HEADERS:
        value = given.get(f"wechatpay-{part.lower()}")
        if not isinstance(value, str) or not value or len(value) > 1024:
            raise InvalidCallback(f"missing Wechatpay-{part}")
        found[f"Wechatpay-{part}"] = value
    # The only type API v3 signs with; an older sender may leave it out.
    found["Wechatpay-Signature-Type"] = (
        given.get("wechatpay-signature-type") or SIGNATURE_TYPE
    )
    timestamp = found["Wechatpay-Timestamp"]
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise InvalidCallback("malformed timestamp")
    if abs(int(time.time()) - int(timestamp)) > MAX_AGE_SECONDS:
        raise InvalidCallback("stale callback")
    serial = found["Wechatpay-Serial"]
    if config.public_key_mode:
        # Anything else would send the SDK fetching platform certificates.
        if serial != config.public_key_id:
            raise InvalidCallback("unknown serial")
    elif not HEX_SERIAL.fullmatch(serial):
        raise InvalidCallback("unknown serial")
    return found


def _envelope(body: bytes) -> dict:
    """The notification around its encrypted resource, as documented."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidCallback("malformed body") from exc
    if not isinstance(data, dict):
        raise InvalidCallback("malformed body")
    _text(data, "id")
    _text(data, "event_type")
    if data.get("resource_type") != "encrypt-resource":
        raise InvalidCallback("malformed resource_type")
    resource = _object(data, "resource")
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise InvalidCallback("malformed algorithm")
    _text(resource, "ciphertext", limit=len(body))
    _text(resource, "nonce")
    _text(resource, "original_type")
    if not isinstance(resource.get("associated_data", ""), str):
        raise InvalidCallback("malformed associated_data")
    return data


def _decrypted(config: Config, headers: dict, body: bytes) -> dict:
    """The resource, once the SDK has verified the signature and decrypted it."""
    try:
        data = client_for(config).callback(headers, body)
    except Exception as exc:  # the SDK's, or a network error fetching certificates
        raise InvalidCallback("signature or resource not verified") from exc
    if not isinstance(data, dict):
        raise InvalidCallback("signature or resource not verified")
    return _object(data, "resource")


def _payment(data: dict, resource: dict, config: Config, nonce: str) -> Callback:
    if resource.get("trade_state") != "SUCCESS":
        raise InvalidCallback("not a successful payment")
    if resource.get("mchid") != config.mchid or resource.get("appid") != config.appid:
        raise InvalidCallback("not our merchant or app")
    out_trade_no = _text(resource, "out_trade_no")
    if not OUT_TRADE_NO.fullmatch(out_trade_no):
        raise InvalidCallback("unknown payment")
    amount = _object(resource, "amount")
    if amount.get("currency", "CNY") != "CNY":
        raise InvalidCallback("not in yuan")
    return Callback(
        reference=uuid.UUID(hex=out_trade_no),
        transaction_id=_text(resource, "transaction_id"),
        amount=yuan(_fen(amount, "total")),
        nonce=nonce,
    )


def _refund(data: dict, resource: dict, config: Config, nonce: str) -> RefundCallback:
    if resource.get("mchid") != config.mchid:
        raise InvalidCallback("not our merchant")
    status = _text(resource, "refund_status")
    if f"REFUND.{status}" != data["event_type"]:
        raise InvalidCallback("refund status does not match the event")
    return RefundCallback(
        refund_id=_text(resource, "out_refund_no"),
        succeeded=status == "SUCCESS",
        amount=yuan(_fen(_object(resource, "amount"), "refund")),
        nonce=nonce,
        provider_refund_id=_text(resource, "refund_id"),
    )


def read_notification(
    config: Config, body: bytes, headers: Mapping[str, str]
) -> Callback | RefundCallback:
    """A verified notification of a payment or a refund, or InvalidCallback."""
    signed = _signature_headers(headers, config)
    data = _envelope(body)
    event = data["event_type"]
    original = data["resource"]["original_type"]
    if not (
        (event == PAID_EVENT and original == "transaction")
        or (event in REFUND_EVENTS and original == "refund")
    ):
        raise InvalidCallback("unexpected event")
    resource = _decrypted(config, signed, body)
    # One delivery is one message: WeChat Pay sends a notification again (same
    # id) signed anew, which applies idempotently; the very same delivery again
    # is a replay.
    nonce = f"{data['id']}/{signed['Wechatpay-Nonce']}"
    if len(nonce) > 64:
        nonce = hashlib.sha256(nonce.encode()).hexdigest()
    if event == PAID_EVENT:
        return _payment(data, resource, config, nonce)
    return _refund(data, resource, config, nonce)
