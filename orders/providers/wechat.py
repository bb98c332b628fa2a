"""WeChat Pay (API v3) through its SDK, wechatpayv3 (docs/PAYMENTS.md, "WeChat
Pay"). A payment's merchant order number (out_trade_no) is its reference in hex,
so starting again is the same WeChat order. Inside WeChat the buyer pays with the
JS bridge (JSAPI; their openid comes from WeChat's OAuth first), on a phone's
browser on WeChat's H5 page, on a computer by scanning a Native QR code."""

import json
import re
import time
import uuid
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import quote, urlencode, urlsplit

import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpayv3 import WeChatPayType

from orders.models import Payment, PaymentProviderCode
from orders.providers.base import (
    Buyer,
    Callback,
    Device,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    ProviderError,
    ProviderUnavailable,
    RefundCallback,
    RefundResult,
    Start,
    StatementLine,
)
from orders.providers.wechat_bill import bill_text, statement_lines
from orders.providers.wechat_client import (
    Config,
    WeChatRefused,
    ask,
    client_for,
    fen,
    missing,
    yuan,
)
from orders.providers.wechat_notify import read_notification

CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
GATEWAY = "https://api.mch.weixin.qq.com/"
AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
# Where WeChat Pay's H5 pay page (the h5_url of an H5 order) lives.
H5_ORIGIN = "https://wx.tenpay.com"
ACCESS_TOKEN_URL = "https://api.weixin.qq.com/sns/oauth2/access_token"
DESCRIPTION_BYTES = 127
STATES = {
    "SUCCESS": PaymentState.PAID,
    "REFUND": PaymentState.REFUNDED,
    "NOTPAY": PaymentState.PENDING,
    "USERPAYING": PaymentState.PENDING,
    "CLOSED": PaymentState.CLOSED,
    "REVOKED": PaymentState.CLOSED,
    "PAYERROR": PaymentState.CLOSED,
}
REFUND_STATES = {"SUCCESS", "PROCESSING", "ABNORMAL"}
# What WeChat allows in an out_refund_no (at most 64 of them).
REFUND_NO = re.compile(r"[0-9A-Za-z_\-|*@]{1,64}")


def _unreadable() -> ProviderError:
    return ProviderError(_("WeChat Pay gave an answer that could not be read."))


def _answered(answer: dict, key: str) -> str:
    """A text WeChat Pay's answer must carry."""
    value = answer.get(key)
    if not isinstance(value, str) or not value:
        raise _unreadable()
    return value


def _description(orders) -> str:
    """The shops' names, within WeChat's 127 bytes (cut between characters)."""
    names = list(dict.fromkeys(order.farmer.shop_name for order in orders))
    text = "、".join(names).encode()[:DESCRIPTION_BYTES]
    return text.decode("utf-8", errors="ignore") or _("Order")


def _time_expire(orders) -> str | None:
    """When WeChat should stop taking money: the earliest payment deadline of
    the orders (RFC 3339, China time), unless it has passed."""
    deadlines = [order.expires_at for order in orders if order.expires_at]
    if not deadlines or min(deadlines) <= timezone.now():
        return None
    return min(deadlines).astimezone(CHINA).isoformat(timespec="seconds")


class WeChatPay(PaymentProvider):
    """WeChat Pay, API v3, as a direct merchant (docs/PAYMENTS.md)."""

    code = PaymentProviderCode.WECHAT
    reconciles = True

    @property
    def config(self) -> Config:
        return Config.current()

    def missing_settings(self) -> list[str]:
        return missing(self.config)

    # --- Starting a payment ------------------------------------------------------

    def _order(self, payment: Payment, config: Config, pay_type, **extra) -> dict:
        """Place (or place again: the same out_trade_no) WeChat's order."""
        orders = list(payment.orders.select_related("farmer").order_by("pk")) or list(
            payment.checkout.orders.select_related("farmer").order_by("pk")
        )
        return ask(
            config,
            "pay",
            pay_type=pay_type,
            description=_description(orders),
            out_trade_no=payment.reference.hex,
            amount={"total": fen(payment.amount), "currency": "CNY"},
            time_expire=_time_expire(orders),
            notify_url=config.notify_url,
            **extra,
        )

    def jsapi_params(self, config: Config, prepay_id: str) -> dict:
        """What WeChat's JS bridge is handed, signed with the merchant key."""
        params = {
            "appId": config.appid,
            "timeStamp": str(int(time.time())),
            "nonceStr": uuid.uuid4().hex,
            "package": f"prepay_id={prepay_id}",
            "signType": "RSA",
        }
        signed = [params[key] for key in ("appId", "timeStamp", "nonceStr", "package")]
        return {**params, "paySign": client_for(config).sign(signed)}

    def start(self, payment: Payment, buyer: Buyer) -> Start:
        config = self.config
        if buyer.device == Device.WECHAT and buyer.wechat_openid:
            answer = self._order(
                payment,
                config,
                WeChatPayType.JSAPI,
                payer={"openid": buyer.wechat_openid},
            )
            prepay_id = _answered(answer, "prepay_id")
            return Start(jsapi=self.jsapi_params(config, prepay_id))
        if buyer.device == Device.WECHAT and config.app_secret:
            # First learn the buyer's openid (orders.views.wechat).
            query = urlencode({"checkout": payment.checkout_id})
            return Start(redirect_url=f"{reverse('orders:wechat_oauth')}?{query}")
        if buyer.device == Device.DESKTOP:
            answer = self._order(payment, config, WeChatPayType.NATIVE)
            return Start(qr_code=_answered(answer, "code_url"))
        answer = self._order(
            payment,
            config,
            WeChatPayType.H5,
            scene_info={"payer_client_ip": buyer.ip, "h5_info": {"type": "Wap"}},
        )
        back = settings.SITE_URL + reverse(
            "orders:checkout_done", args=[payment.checkout_id]
        )
        h5_url = _answered(answer, "h5_url")
        return Start(redirect_url=f"{h5_url}&redirect_url={quote(back, safe='')}")

    def sends_buyers_to(self) -> list[str]:
        """WeChat's sign-in (inside WeChat) and its H5 pay page (a phone)."""
        sign_in = urlsplit(AUTHORIZE_URL)
        return [f"{sign_in.scheme}://{sign_in.netloc}", H5_ORIGIN]

    # --- WeChat's OAuth (the buyer's openid, for JSAPI) ---------------------------

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """WeChat's silent sign-in (snsapi_base), coming back with a code."""
        query = urlencode(
            {
                "appid": self.config.appid,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": state,
            }
        )
        return f"{AUTHORIZE_URL}?{query}#wechat_redirect"

    def openid_for(self, code: str) -> str:
        """The buyer's openid for the code WeChat's sign-in came back with."""
        config = self.config
        params = {
            "appid": config.appid,
            "secret": config.app_secret,
            "code": code,
            "grant_type": "authorization_code",
        }
        try:
            response = requests.get(
                ACCESS_TOKEN_URL, params=params, timeout=config.timeout
            )
        except requests.RequestException:
            raise ProviderUnavailable(_("WeChat did not answer in time.")) from None
        if response.status_code != 200:
            raise ProviderUnavailable(_("WeChat did not answer in time."))
        try:
            answer = json.loads(response.content)
        except (ValueError, RecursionError):
            answer = None
        if not isinstance(answer, dict):
            raise _unreadable()
        openid = answer.get("openid")
        if not isinstance(openid, str) or not openid or len(openid) > 128:
            errmsg = answer.get("errmsg")
            raise ProviderError(
                errmsg
                if isinstance(errmsg, str) and errmsg
                else _("WeChat did not say who you are.")
            )
        return openid

    # --- Notifications ------------------------------------------------------------

    def parse_callback(
        self, body: bytes, headers: Mapping[str, str]
    ) -> Callback | RefundCallback:
        return read_notification(self.config, body, headers)

    def acknowledge(self) -> tuple[bytes, str]:
        """WeChat Pay takes any 2xx; its SDKs answer this."""
        body = json.dumps({"code": "SUCCESS", "message": "成功"}, ensure_ascii=False)
        return body.encode(), "application/json"

    # --- Asking about, refunding and closing a payment ---------------------------

    def query(self, payment: Payment) -> PaymentQuery:
        try:
            answer = ask(self.config, "query", out_trade_no=payment.reference.hex)
        except WeChatRefused as exc:
            if exc.code == "ORDER_NOT_EXIST":
                return PaymentQuery(PaymentState.UNKNOWN)
            raise
        state = answer.get("trade_state")
        if not isinstance(state, str) or state not in STATES:
            raise _unreadable()
        transaction_id = answer.get("transaction_id")
        amount = answer.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        return PaymentQuery(
            STATES[state],
            transaction_id if isinstance(transaction_id, str) else "",
            yuan(total) if type(total) is int else None,
        )

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """WeChat Pay refunds once per out_refund_no (`refund_id`): asked again,
        it answers the refund it has. Most refunds are PROCESSING at first; the
        refund notification says how they end."""
        if not REFUND_NO.fullmatch(refund_id):
            raise ProviderError(_("The refund number is not one WeChat Pay takes."))
        config = self.config
        answer = ask(
            config,
            "refund",
            out_refund_no=refund_id,
            out_trade_no=payment.reference.hex,
            amount={
                "refund": fen(amount),
                "total": fen(payment.amount),
                "currency": "CNY",
            },
            notify_url=config.notify_url,
        )
        status = answer.get("status")
        if status == "CLOSED":
            raise ProviderError(_("WeChat Pay closed the refund."))
        if status not in REFUND_STATES:
            raise _unreadable()
        provider_refund_id = answer.get("refund_id")
        return RefundResult(
            succeeded=status == "SUCCESS",
            provider_refund_id=provider_refund_id
            if isinstance(provider_refund_id, str)
            else "",
        )

    def close(self, payment: Payment) -> None:
        """Close WeChat's order; one WeChat never had, or closed already, is
        closed. A paid one cannot be."""
        try:
            ask(self.config, "close", out_trade_no=payment.reference.hex)
        except WeChatRefused as exc:
            if exc.code in ("ORDER_NOT_EXIST", "ORDER_CLOSED"):
                return
            if exc.code == "ORDERPAID":
                raise ProviderError(
                    _("This payment has been paid, so it cannot be closed.")
                ) from None
            raise

    # --- The day's statement ------------------------------------------------------

    def statement(self, day) -> list[StatementLine]:
        """The trade bill of `day` (all payments and refunds), downloaded and
        checked against its digest. A day without trades has no bill."""
        config = self.config
        try:
            answer = ask(
                config,
                "trade_bill",
                bill_date=day.isoformat(),
                bill_type="ALL",
                tar_type="GZIP",
            )
        except WeChatRefused as exc:
            if exc.code == "NO_STATEMENT_EXIST":
                return []
            if exc.code == "STATEMENT_CREATING":
                raise ProviderUnavailable(str(exc)) from None
            raise
        url = _answered(answer, "download_url")
        if not url.startswith(GATEWAY):
            raise _unreadable()
        raw = ask(config, "download_bill", raw=True, url=url)
        return statement_lines(bill_text(raw, answer))
