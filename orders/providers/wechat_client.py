"""WeChat Pay's settings and its SDK client (wechatpayv3): which settings are
missing, the client built once for a configuration, and one way of asking it
that turns silence, a server error or an answer that does not verify into
ProviderUnavailable and a refusal into WeChatRefused, with WeChat's message."""

import functools
import json
import logging
import os
from dataclasses import dataclass
from decimal import Decimal

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from wechatpayv3 import WeChatPay, WeChatPayType

from orders.providers.base import ProviderError, ProviderUnavailable

logger = logging.getLogger(__name__)
FEN = Decimal(100)
WEBHOOK_PATH = "/orders/webhooks/wechat/"


class WeChatRefused(ProviderError):
    """WeChat Pay answered with an error: `code` is its error code (ORDERPAID,
    ORDER_NOT_EXIST, …), the message its own words."""

    def __init__(self, code: str, message: str):
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Config:
    """The WeChat Pay settings, read at once (a client is built per config)."""

    mchid: str
    appid: str
    apiv3_key: str
    serial_no: str
    private_key_path: str
    public_key_path: str
    public_key_id: str
    cert_dir: str
    notify_url: str
    timeout: float
    app_secret: str

    @classmethod
    def current(cls) -> "Config":
        return cls(
            mchid=settings.WECHATPAY_MCHID,
            appid=settings.WECHATPAY_APPID,
            apiv3_key=settings.WECHATPAY_APIV3_KEY,
            serial_no=settings.WECHATPAY_CERT_SERIAL_NO,
            private_key_path=settings.WECHATPAY_PRIVATE_KEY_PATH,
            public_key_path=settings.WECHATPAY_PUBLIC_KEY_PATH,
            public_key_id=settings.WECHATPAY_PUBLIC_KEY_ID,
            cert_dir=settings.WECHATPAY_CERT_DIR,
            notify_url=settings.WECHATPAY_NOTIFY_URL
            or settings.SITE_URL + WEBHOOK_PATH,
            timeout=settings.WECHATPAY_TIMEOUT,
            app_secret=settings.WECHATPAY_APP_SECRET,
        )

    @property
    def public_key_mode(self) -> bool:
        return bool(self.public_key_path or self.public_key_id)


def _readable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.R_OK)


def missing(config: Config) -> list[str]:
    """The settings WeChat Pay needs and lacks, each named (a key file that
    cannot be read is named with its path)."""
    lacking = [
        name
        for name, value in (
            ("WECHATPAY_MCHID", config.mchid),
            ("WECHATPAY_APPID", config.appid),
            ("WECHATPAY_APIV3_KEY", config.apiv3_key),
            ("WECHATPAY_CERT_SERIAL_NO", config.serial_no),
            ("WECHATPAY_PRIVATE_KEY_PATH", config.private_key_path),
        )
        if not value
    ]
    if config.apiv3_key and len(config.apiv3_key.encode()) != 32:
        lacking.append("WECHATPAY_APIV3_KEY (32 characters)")
    if config.private_key_path and not _readable(config.private_key_path):
        lacking.append(f"WECHATPAY_PRIVATE_KEY_PATH ({config.private_key_path})")
    if config.public_key_mode:
        if not config.public_key_path:
            lacking.append("WECHATPAY_PUBLIC_KEY_PATH")
        elif not _readable(config.public_key_path):
            lacking.append(f"WECHATPAY_PUBLIC_KEY_PATH ({config.public_key_path})")
        if not config.public_key_id:
            lacking.append("WECHATPAY_PUBLIC_KEY_ID")
    elif not config.cert_dir:
        lacking.append(
            "WECHATPAY_PUBLIC_KEY_PATH and WECHATPAY_PUBLIC_KEY_ID, or "
            "WECHATPAY_CERT_DIR"
        )
    if not config.notify_url.startswith("https://"):
        lacking.append("WECHATPAY_NOTIFY_URL (https; or an https SITE_URL)")
    return lacking


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


@functools.lru_cache(maxsize=4)
def client_for(config: Config) -> WeChatPay:
    """The SDK client for `config`, built on first use and kept (reading the
    keys; with platform certificates, loading or fetching them)."""
    return WeChatPay(
        wechatpay_type=WeChatPayType.NATIVE,
        mchid=config.mchid,
        private_key=_read(config.private_key_path),
        cert_serial_no=config.serial_no,
        appid=config.appid,
        apiv3_key=config.apiv3_key,
        notify_url=config.notify_url,
        cert_dir=None if config.public_key_mode else config.cert_dir,
        logger=logger,
        timeout=config.timeout,
        public_key=_read(config.public_key_path) if config.public_key_mode else None,
        public_key_id=config.public_key_id or None,
    )


def _object(message) -> dict:
    """A JSON object answered (an empty answer, such as a 204's, is {})."""
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    if not message:
        return {}
    try:
        data = json.loads(message)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise ProviderError(_("WeChat Pay gave an answer that could not be read."))
    return data


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def ask(config: Config, method: str, /, *, raw: bool = False, **kwargs):
    """Call the SDK's `method` with `kwargs`: its answer as a JSON object (the
    bytes, if `raw`). Silence, a server error (5xx, or 429: too many requests)
    or an answer whose signature does not verify is ProviderUnavailable (the
    request may have been taken: ask again with the same numbers); any other
    error answer is WeChatRefused."""
    try:
        status, message = getattr(client_for(config), method)(**kwargs)
    except requests.RequestException as exc:
        logger.warning("WeChat Pay %s: no answer (%s)", method, exc)
        raise ProviderUnavailable(_("WeChat Pay did not answer in time.")) from None
    except Exception as exc:  # the SDK raises bare Exceptions
        if "verify the signature" in str(exc):
            logger.error("WeChat Pay %s: the answer's signature is wrong", method)
            raise ProviderUnavailable(
                _("WeChat Pay's answer could not be verified.")
            ) from None
        logger.exception("WeChat Pay %s failed", method)
        # Its words may name files or keys: they go to the log, not the page.
        raise ProviderError(
            _("WeChat Pay could not be asked; please try again later.")
        ) from None
    if status >= 500 or status == 429:
        logger.warning("WeChat Pay %s: HTTP %s", method, status)
        raise ProviderUnavailable(_("WeChat Pay did not answer in time."))
    if 200 <= status < 300:
        if raw:
            return message if isinstance(message, bytes) else message.encode()
        return _object(message)
    try:
        error = _object(message)
    except ProviderError:
        error = {}
    code, text = _text(error, "code"), _text(error, "message")
    logger.warning("WeChat Pay %s refused: HTTP %s %s %s", method, status, code, text)
    raise WeChatRefused(code, text or f"HTTP {status}")


def fen(amount: Decimal) -> int:
    """Yuan to WeChat's fen, exactly (money is stored to the fen)."""
    value = amount * FEN
    if value != value.to_integral_value():
        raise ProviderError(_("An amount is not a whole number of fen."))
    return int(value)


def yuan(fen_: int) -> Decimal:
    """WeChat's fen to yuan."""
    return Decimal(fen_) / FEN
