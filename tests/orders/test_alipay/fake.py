"""Alipay's side, as Alipay documents it, built with `cryptography` (not the SDK
under test): RSA2 signatures (SHA256withRSA, base64) over the sorted `k=v&…`
content; asynchronous notifications as the form Alipay posts; and the open API
gateway at the HTTP layer (`responses`), which checks each request's signature
with the app's public key and answers `{"<method>_response": {...}, "sign": ...}`
signed over the exact text of the response node."""

import base64
import csv
import datetime
import io
import json
import uuid
import zipfile
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import responses
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

APP_ID = "2021000122600001"
GATEWAY = "https://openapi.alipay.com/gateway.do"
SANDBOX = "https://openapi-sandbox.dl.alipaydev.com/gateway.do"
BILL_URL = "https://dwbillcenter.alipay.com/downloadBillFile.resource?bizType=trade"
WEBHOOK = "/orders/webhooks/alipay/"
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")
FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass
class Keys:
    app: rsa.RSAPrivateKey  # the merchant app's key pair
    alipay: rsa.RSAPrivateKey  # Alipay's own key pair
    app_private_path: Path
    alipay_public_path: Path


def make_keys(folder: Path) -> Keys:
    """Two key pairs; the app's private key as PKCS#8 PEM, Alipay's public key as
    the bare base64 the open platform's console shows."""
    app = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    alipay = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    app_path = folder / "app_private_key.pem"
    app_path.write_bytes(
        app.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    der = alipay.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    alipay_path = folder / "alipay_public_key.txt"
    alipay_path.write_text(base64.b64encode(der).decode())
    return Keys(app, alipay, app_path, alipay_path)


def sign(key: rsa.RSAPrivateKey, text: str) -> str:
    signature = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def verifies(key: rsa.RSAPrivateKey, text: str, signature: str) -> bool:
    try:
        key.public_key().verify(
            base64.b64decode(signature),
            text.encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def content(fields: dict, *, leave_out: tuple[str, ...]) -> str:
    """The text Alipay signs: every field but those left out, sorted, k=v&k=v."""
    return "&".join(
        f"{key}={value}"
        for key, value in sorted(fields.items())
        if key not in leave_out
    )


def china(moment: datetime.datetime | None = None) -> str:
    return (moment or datetime.datetime.now(CHINA)).astimezone(CHINA).strftime(FORMAT)


def trade_no() -> str:
    return "2024" + str(uuid.uuid4().int)[:24]


def notification(keys: Keys, payment, *, key=None, **changes) -> dict:
    """Alipay's trade_status_sync notification that `payment` was paid, as Alipay
    posts it; `changes` replace fields (None leaves one out) before it is signed
    with Alipay's private key (or `key`)."""
    amount = f"{payment.amount:.2f}"
    now = datetime.datetime.now(CHINA)
    fields = {
        "notify_time": china(now),
        "notify_type": "trade_status_sync",
        "notify_id": "2024" + uuid.uuid4().hex + "0a",
        "app_id": APP_ID,
        "auth_app_id": APP_ID,
        "charset": "utf-8",
        "version": "1.0",
        "sign_type": "RSA2",
        "trade_no": payment.transaction_id or trade_no(),
        "out_trade_no": str(payment.reference),
        "buyer_id": "2088102177846880",
        "buyer_logon_id": "159****5620",
        "seller_id": "2088101106499364",
        "seller_email": "zhuzhanghu@alitest.com",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": amount,
        "receipt_amount": amount,
        "invoice_amount": amount,
        "buyer_pay_amount": amount,
        "point_amount": "0.00",
        "subject": "蜂蜜小铺",
        "gmt_create": china(now - datetime.timedelta(minutes=1)),
        "gmt_payment": china(now),
        "fund_bill_list": json.dumps(
            [{"amount": amount, "fundChannel": "ALIPAYACCOUNT"}]
        ),
    }
    fields.update(changes)
    fields = {k: v for k, v in fields.items() if v is not None}
    fields["sign"] = sign(
        key or keys.alipay, content(fields, leave_out=("sign", "sign_type"))
    )
    return fields


def refund_notice(keys: Keys, payment, *, refund_id: str, refunded_in_all, **changes):
    """Alipay's notice of a refund: the trade's notification again, with the
    refund's number (out_biz_no) and what the trade has had refunded in all."""
    closed = refunded_in_all == payment.amount
    fields = {
        "trade_status": "TRADE_CLOSED" if closed else "TRADE_SUCCESS",
        "out_biz_no": refund_id,
        "refund_fee": f"{refunded_in_all:.2f}",
        "gmt_refund": china() + ".123",
        **changes,
    }
    return notification(keys, payment, **fields)


def post(client, fields: dict | bytes):
    body = fields if isinstance(fields, bytes) else urlencode(fields).encode()
    return client.post(
        WEBHOOK, data=body, content_type="application/x-www-form-urlencoded"
    )


class FakeAlipay:
    """Alipay's open API gateway. `on(method, answer)` queues one answer for the
    next call of `method`: a response node (code 10000 unless it says), an
    exception to raise (a timeout), or a raw (status, body). Each call's
    signature is checked against the app's public key; a call with no answer
    queued fails the test."""

    def __init__(self, keys: Keys, mock: responses.RequestsMock):
        self.keys = keys
        self.answers: dict[str, list] = defaultdict(list)
        self.calls: list[tuple[str, dict, dict]] = []  # (method, biz, params)
        for url in (GATEWAY, SANDBOX):
            mock.add_callback(responses.GET, url, callback=self._answer)
        self.mock = mock

    def on(self, method: str, answer=None, **fields):
        if answer is None:
            answer = {"code": "10000", "msg": "Success", **fields}
        self.answers[method].append(answer)

    def refuse(
        self, method: str, sub_code: str, sub_msg: str = "业务失败", code="40004"
    ):
        self.on(
            method,
            {
                "code": code,
                "msg": "Business Failed",
                "sub_code": sub_code,
                "sub_msg": sub_msg,
            },
        )

    def bill(self, archive: bytes):
        self.mock.add(
            responses.GET, BILL_URL, body=archive, content_type="application/zip"
        )

    def methods(self) -> list[str]:
        return [method for method, _biz, _params in self.calls]

    def _answer(self, request):
        params = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
        signed = content(params, leave_out=("sign",))  # sign_type is signed
        assert verifies(self.keys.app, signed, params["sign"]), "badly signed request"
        assert params["app_id"] == APP_ID and params["sign_type"] == "RSA2"
        datetime.datetime.strptime(params["timestamp"], FORMAT)
        method = params["method"]
        self.calls.append((method, json.loads(params["biz_content"]), params))
        assert self.answers[method], f"unexpected call of {method}"
        answer = self.answers[method].pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, tuple):
            return answer
        return (
            200,
            {"Content-Type": "text/html;charset=utf-8"},
            self.signed(method, answer),
        )

    def signed(self, method: str, node: dict, *, key=None) -> bytes:
        text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
        name = method.replace(".", "_") + "_response"
        signature = sign(key or self.keys.alipay, text)
        return f'{{"{name}":{text},"sign":"{signature}"}}'.encode()


DETAIL_HEADER = (
    "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,"
    "操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,"
    "支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,"
    "卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注"
)


def bill_zip(rows: list[tuple[str, str, str, str, str]], day="2024年05月01日") -> bytes:
    """A trade bill as Alipay serves it: a zip of GBK CSVs, the detail (rows of
    (trade_no, reference, kind, amount, refund_id)) and the summary."""
    out = io.StringIO()
    out.write("#支付宝业务明细查询\n#账号：[20881234567890120156]\n")
    out.write(f"#起始日期：[{day} 00:00:00]   终止日期：[{day} 23:59:59]\n")
    out.write(
        "#-----------------------------------------业务明细列表----------------------------------------\n"
    )
    out.write(DETAIL_HEADER + "\n")
    writer = csv.writer(out, lineterminator="\n")
    for trade, reference, kind, amount, refund_id in rows:
        writer.writerow(
            [
                f"{trade}\t",
                f"{reference}\t",
                kind,
                "蜂蜜",
                "2024-05-01 10:00:00",
                "2024-05-01 10:01:00",
                "",
                "",
                "",
                "",
                "159****5620",
                amount,
                amount,
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "",
                "0.00",
                "0.00",
                f"{refund_id}\t",
                "0.00",
                "0.00",
                "",
            ]
        )
    out.write(
        "#-----------------------------------------业务明细列表结束------------------------------------\n"
    )
    out.write(f"#交易合计：{len(rows)}笔\n#导出时间：[2024年05月02日 09:10:11]\n")
    summary = (
        "#支付宝业务汇总查询\n门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）\n"
        f"合计,,{len(rows)},0,0.00\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bill:
        bill.writestr(
            "20881234567890120156_20240501_业务明细(汇总).csv", summary.encode("gbk")
        )
        bill.writestr(
            "20881234567890120156_20240501_业务明细.csv", out.getvalue().encode("gbk")
        )
    return archive.getvalue()
