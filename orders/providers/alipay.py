"""Alipay (支付宝), through python-alipay-sdk (orders.providers.alipay_client):
wap pay on phones, page pay on computers, the asynchronous notifications of
payments and refunds (RSA2 over the sorted fields, checked by the SDK), and the
trade query, refund, refund query, close and the day's trade bill. Every field of
a notification is checked for its format before it is used, so a signed but odd
notification is refused (InvalidCallback), never a 500 (docs/PAYMENTS.md)."""

import datetime
import uuid
from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlsplit

from alipay.exceptions import AliPayException
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from common.money import round_half_up
from orders.models import Payment, PaymentProviderCode
from orders.providers.alipay_bill import parse_bill
from orders.providers.alipay_client import (
    CHINA,
    TIME_FORMAT,
    AlipayClient,
    AlipayRefused,
    key_text,
)
from orders.providers.alipay_fields import (
    UUID,
    amount_of,
    answered_amount,
    form,
    fresh,
    nonce_of,
    subject,
    token,
    yuan,
)
from orders.providers.base import (
    Buyer,
    Callback,
    Device,
    InvalidCallback,
    PaymentProvider,
    PaymentQuery,
    PaymentState,
    ProviderError,
    RefundCallback,
    RefundResult,
    Start,
    StatementLine,
)

REQUIRED = ("ALIPAY_APP_ID", "ALIPAY_APP_PRIVATE_KEY_PATH", "ALIPAY_PUBLIC_KEY_PATH")
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")
NOT_EXIST = "ACQ.TRADE_NOT_EXIST"


class AlipayProvider(PaymentProvider):
    """Alipay: the buyer pays on Alipay's pages; Alipay notifies the webhook."""

    code = PaymentProviderCode.ALIPAY
    reconciles = True

    def __init__(self):
        self._built = None  # (settings it was built from, client)

    # --- Settings and the SDK client ----------------------------------------------

    def _config(self) -> tuple:
        return (
            str(getattr(settings, "ALIPAY_APP_ID", "")),
            str(getattr(settings, "ALIPAY_APP_PRIVATE_KEY_PATH", "")),
            str(getattr(settings, "ALIPAY_PUBLIC_KEY_PATH", "")),
            bool(getattr(settings, "ALIPAY_SANDBOX", False)),
            float(getattr(settings, "ALIPAY_TIMEOUT_SECONDS", 10)),
        )

    def missing_settings(self) -> list[str]:
        config = self._config()
        if self._built_for(config):
            return []
        missing = [
            name for name, value in zip(REQUIRED, config[:3], strict=True) if not value
        ]
        for name, path, private in (
            (REQUIRED[1], config[1], True),
            (REQUIRED[2], config[2], False),
        ):
            if path:
                try:
                    key_text(path, private=private)
                except (OSError, ValueError) as exc:
                    missing.append(f"{name} (cannot use {path}: {exc})")
        if not missing:
            try:
                self.client()  # built once, for these settings
            except ProviderError:
                missing.append(
                    f"{REQUIRED[1]} and {REQUIRED[2]} (the SDK refused them)"
                )
        return missing

    def _built_for(self, config: tuple) -> bool:
        return self._built is not None and self._built[0] == config

    def sends_buyers_to(self) -> list[str]:
        """Alipay's gateway, where wap and page pay send the buyer, and the hosts
        of its domain the gateway redirects them on to (the cashier pages,
        mclient.alipay.com and excashier.alipay.com; in the sandbox, hosts of
        alipaydev.com): browsers hold a form's redirects to form-action too."""
        try:
            gateway = urlsplit(self.client().gateway)
        except ProviderError:  # not configured: it sends nobody anywhere
            return []
        domain = ".".join(gateway.hostname.split(".")[-2:])
        return [f"{gateway.scheme}://{gateway.netloc}", f"https://*.{domain}"]

    def client(self) -> AlipayClient:
        """The SDK client, built once for the settings (rebuilt if they change)."""
        config = self._config()
        if not self._built_for(config):
            app_id, private_path, public_path, sandbox, timeout = config
            try:
                client = AlipayClient(
                    appid=app_id,
                    app_private_key_string=key_text(private_path, private=True),
                    alipay_public_key_string=key_text(public_path, private=False),
                    sign_type="RSA2",
                    debug=sandbox,
                    timeout=timeout,
                )
            except (OSError, ValueError, AliPayException) as exc:
                raise ProviderError(_("Alipay is not set up on this site.")) from exc
            self._built = (config, client)
        return self._built[1]

    def notify_url(self) -> str:
        return getattr(settings, "ALIPAY_NOTIFY_URL", "") or (
            settings.SITE_URL + reverse("orders:webhook", args=[self.code])
        )

    def return_url(self) -> str:
        return getattr(settings, "ALIPAY_RETURN_URL", "") or (
            settings.SITE_URL + reverse("orders:home")
        )

    # --- Paying -------------------------------------------------------------------

    def start(self, payment: Payment, buyer: Buyer) -> Start:
        """A signed URL of Alipay's cashier (no call to Alipay is made): wap pay
        in a phone's browser (and WeChat's, where the buyer is asked to open it
        in a browser), page pay on a computer. Everything sent is fixed by the
        payment, so starting again is the same Alipay trade."""
        client = self.client()
        orders = list(payment.orders.select_related("farmer").order_by("pk")) or list(
            payment.checkout.orders.select_related("farmer").order_by("pk")
        )
        extra = {}
        deadlines = [order.expires_at for order in orders if order.expires_at]
        if deadlines:
            extra["time_expire"] = (
                min(deadlines).astimezone(CHINA).strftime(TIME_FORMAT)
            )
        common = {
            "subject": subject(orders),
            "out_trade_no": str(payment.reference),
            "total_amount": yuan(payment.amount),
            "return_url": self.return_url(),
            "notify_url": self.notify_url(),
            **extra,
        }
        if buyer.device == Device.DESKTOP:
            signed = client.api_alipay_trade_page_pay(**common)
        else:
            # The SDK's default product code is an old name; Alipay's is this one.
            signed = client.api_alipay_trade_wap_pay(
                **common, product_code="QUICK_WAP_WAY", quit_url=self.return_url()
            )
        return Start(redirect_url=f"{client.gateway}?{signed}")

    # --- Notifications ------------------------------------------------------------

    def parse_callback(
        self, body: bytes, headers: Mapping[str, str]
    ) -> Callback | RefundCallback:
        fields = form(body)
        signature = fields.pop("sign", "")
        if fields.pop("sign_type", "") != "RSA2" or not signature:
            raise InvalidCallback("bad signature")
        try:
            client = self.client()
        except ProviderError as exc:
            raise InvalidCallback("Alipay is not set up") from exc
        try:
            verified = client.verify(dict(fields), signature)
        except (AliPayException, ValueError, TypeError):
            verified = False
        if not verified:
            raise InvalidCallback("bad signature")
        # Signed by Alipay: now every field is checked before it is used.
        if fields.get("app_id") != client.appid:
            raise InvalidCallback("another app's notification")
        fresh(fields.get("notify_time"))
        nonce = nonce_of(fields)
        reference = token(fields, "out_trade_no", UUID)
        trade_no = token(fields, "trade_no")
        total = amount_of(fields.get("total_amount"), field="total_amount")
        status = fields.get("trade_status")
        if any(fields.get(key) for key in ("out_biz_no", "refund_fee", "gmt_refund")):
            return self._refund_notice(fields, reference, total, status, nonce)
        if status not in PAID:
            raise InvalidCallback(f"nothing to take from trade_status {status!r}")
        return Callback(
            reference=uuid.UUID(reference),
            transaction_id=trade_no,
            amount=total,
            nonce=nonce,
        )

    def _refund_notice(self, fields, reference, total, status, nonce) -> RefundCallback:
        """A refund's notice: TRADE_SUCCESS (part refunded) or TRADE_CLOSED (all
        refunded), with out_biz_no (our refund number). Its refund_fee is what
        the trade has had refunded in all, so what this one refund gave back is
        asked of Alipay (the refund query)."""
        if status not in ("TRADE_SUCCESS", "TRADE_CLOSED"):
            raise InvalidCallback(f"refund notice with trade_status {status!r}")
        refund_id = token(fields, "out_biz_no")
        refunded_in_all = amount_of(fields.get("refund_fee"), field="refund_fee")
        try:
            amount = self._refunded(reference, refund_id)
        except ProviderError as exc:
            # Not applied: Alipay sends the notice again later.
            raise InvalidCallback(f"refund query failed: {exc}") from exc
        if amount is None:
            raise InvalidCallback("Alipay does not confirm the refund")
        if not 0 < amount <= refunded_in_all <= total:
            raise InvalidCallback("refund amounts do not add up")
        return RefundCallback(
            refund_id=refund_id, succeeded=True, amount=amount, nonce=nonce
        )

    def acknowledge(self) -> tuple[bytes, str]:
        return b"success", "text/plain"

    # --- Server calls -------------------------------------------------------------

    def query(self, payment: Payment) -> PaymentQuery:
        """The trade's state. A part refund leaves it TRADE_SUCCESS, so it stays
        PAID (the Refund rows and the bill's refund lines tell refunds); a trade
        closed after it was paid was refunded in full: REFUNDED."""
        try:
            node = self.client().api_alipay_trade_query(
                out_trade_no=str(payment.reference)
            )
        except AlipayRefused as exc:
            if exc.sub_code == NOT_EXIST:
                return PaymentQuery(PaymentState.UNKNOWN)
            raise
        status = node.get("trade_status")
        if status == "WAIT_BUYER_PAY":
            return PaymentQuery(PaymentState.PENDING)
        trade_no = str(node.get("trade_no", ""))
        amount = answered_amount(node.get("total_amount"))
        if status in PAID:
            return PaymentQuery(PaymentState.PAID, trade_no, amount)
        if status == "TRADE_CLOSED":
            paid = node.get("send_pay_date") or any(
                node.get(key) not in (None, "", "0", "0.00")
                for key in ("buyer_pay_amount", "receipt_amount")
            )
            if paid:
                return PaymentQuery(PaymentState.REFUNDED, trade_no, amount)
            return PaymentQuery(PaymentState.CLOSED)
        raise ProviderError(_("Alipay sent an unknown trade status."))

    def refund(
        self, payment: Payment, amount: Decimal, *, refund_id: str
    ) -> RefundResult:
        """alipay.trade.refund, its out_request_no our refund number: asking
        again with the same number refunds once. fund_change "Y" is money moved
        now; "N" is a repeat or a refund in progress, so the refund query says."""
        reference = str(payment.reference)
        node = self.client().api_alipay_trade_refund(
            refund_amount=yuan(amount), out_trade_no=reference, out_request_no=refund_id
        )
        if node.get("fund_change") == "Y":
            return RefundResult(succeeded=True)
        try:
            done = self._refunded(reference, refund_id)
        except ProviderError:
            return RefundResult(succeeded=False)  # taken: the notice settles it
        if done is not None and done != round_half_up(amount):
            raise ProviderError(
                _("Alipay holds refund %(refund)s for another amount.")
                % {"refund": refund_id}
            )
        return RefundResult(succeeded=done is not None)

    def _refunded(self, reference: str, refund_id: str) -> Decimal | None:
        """What refund `refund_id` gave back, if Alipay says it succeeded."""
        node = self.client().api_alipay_trade_fastpay_refund_query(
            out_request_no=refund_id, out_trade_no=reference
        )
        if node.get("refund_status") != "REFUND_SUCCESS":
            return None
        return answered_amount(node.get("refund_amount"))

    def close(self, payment: Payment) -> None:
        """alipay.trade.close. A trade Alipay never saw (the buyer did not open
        its cashier) or one already closed is fine; a paid one is refused."""
        try:
            self.client().api_alipay_trade_close(out_trade_no=str(payment.reference))
        except AlipayRefused as exc:
            if exc.sub_code == NOT_EXIST:
                return
            if exc.sub_code != "ACQ.TRADE_STATUS_ERROR":
                raise
            state = self.query(payment).state
            if state == PaymentState.CLOSED:
                return
            if state in (PaymentState.PAID, PaymentState.REFUNDED):
                raise ProviderError(
                    _("The buyer has paid this through Alipay; it cannot be closed.")
                ) from exc
            raise

    def statement(self, day: datetime.date) -> list[StatementLine]:
        """The day's trade bill (from about 9:00 the next day, China time)."""
        client = self.client()
        node = client.server_api(
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": "trade", "bill_date": day.isoformat()},
        )
        url = node.get("bill_download_url")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ProviderError(_("Alipay's statement could not be read."))
        return parse_bill(client.download(url))
