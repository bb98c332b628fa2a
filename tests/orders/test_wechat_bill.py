"""WeChat Pay's day statement for the reconciliation: the trade bill (ALL) is
asked for, downloaded, checked against the SHA1 WeChat Pay gave, and read by
its column names into payments (SUCCESS rows, at the order's amount) and
refunds (REFUND rows, with our refund number and the amount asked). A day
without trades has no bill; a bill that is not what WeChat said is an error."""

import datetime
import gzip
import hashlib
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import override

from orders.providers import PROVIDERS
from orders.providers.base import ProviderError, ProviderUnavailable, StatementLine

pytestmark = pytest.mark.django_db
WECHAT = PROVIDERS["wechat"]
DAY = datetime.date(2025, 5, 20)
DOWNLOAD = "/v3/billdownload/file"
DOWNLOAD_URL = f"https://api.mch.weixin.qq.com{DOWNLOAD}?token=6XIv5TUPto7pByrTQKhd"
HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,"
    "交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,"
    "商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
    "手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
    "申请退款总金额\n`3,`22.30,`5.00,`0.00,`0.14,`24.60,`5.00"
)
PAID_REF = uuid.uuid4()
COUPON_REF = uuid.uuid4()


@pytest.fixture(autouse=True)
def english():
    """The errors are read in English here."""
    with override("en"):
        yield


def row(**fields) -> str:
    """A bill line: every field after a backtick, in the header's order."""
    names = HEADER.split(",")
    values = dict.fromkeys(names, "") | {
        "交易时间": "2025-05-20 13:29:35",
        "公众账号ID": "wxd678efh567hg6787",
        "商户号": "1900000109",
        "特约商户号": "0",
        "交易类型": "NATIVE",
        "货币种类": "CNY",
        "商品名称": "富硒茶叶合作社",
        "费率": "0.60%",
    }
    values |= fields
    return ",".join(f"`{values[name]}" for name in names)


LINES = [
    row(
        微信订单号="4200000001",
        商户订单号=PAID_REF.hex,
        交易状态="SUCCESS",
        应结订单金额="12.30",
        订单金额="12.30",
    ),
    # A coupon of ¥2.30 (not ours to reconcile): the order was ¥12.30.
    row(
        微信订单号="4200000002",
        商户订单号=COUPON_REF.hex,
        交易状态="SUCCESS",
        应结订单金额="10.00",
        代金券金额="2.30",
        订单金额="12.30",
    ),
    row(
        微信订单号="4200000001",
        商户订单号=PAID_REF.hex,
        交易状态="REFUND",
        微信退款单号="50000000382019052709732678859",
        商户退款单号=f"{PAID_REF}-17",
        退款金额="5.00",
        申请退款金额="5.00",
        退款状态="SUCCESS",
    ),
    row(微信订单号="4200000003", 商户订单号="OTHER-SYSTEM-1", 交易状态="REVOKED"),
    row(
        微信订单号="4200000004",
        商户订单号="OTHER-SYSTEM-2",
        交易状态="SUCCESS",
        订单金额="1.00",
    ),
]


def bill(lines=LINES, summary=SUMMARY) -> bytes:
    return "\r\n".join(["\ufeff" + HEADER, *lines, summary]).encode() + b"\r\n"


def serve(wechat, content: bytes, *, digest=None, url=DOWNLOAD_URL):
    wechat.answer(
        "GET",
        "/v3/bill/tradebill",
        {
            "hash_type": "SHA1",
            "hash_value": digest or hashlib.sha1(content).hexdigest(),
            "download_url": url,
        },
    )
    wechat.serves(DOWNLOAD, gzip.compress(content))


def test_the_bill_of_a_day_is_its_payments_and_refunds(wechat):
    serve(wechat, bill())
    assert WECHAT.statement(DAY) == [
        StatementLine("payment", str(PAID_REF), "4200000001", Decimal("12.30")),
        StatementLine("payment", str(COUPON_REF), "4200000002", Decimal("12.30")),
        StatementLine(
            "refund",
            str(PAID_REF),
            "4200000001",
            Decimal("5.00"),
            refund_id=f"{PAID_REF}-17",
        ),
        StatementLine("payment", "OTHER-SYSTEM-2", "4200000004", Decimal("1.00")),
    ]
    (_, asked, _), (_, downloaded, _) = wechat.calls
    assert (
        asked == "/v3/bill/tradebill?bill_date=2025-05-20&bill_type=ALL&tar_type=GZIP"
    )
    assert downloaded == DOWNLOAD_URL.removeprefix("https://api.mch.weixin.qq.com")


def test_a_bill_that_does_not_match_its_digest_is_refused(wechat):
    serve(wechat, bill(), digest=hashlib.sha1(b"another bill").hexdigest())
    with pytest.raises(ProviderError, match="digest"):
        WECHAT.statement(DAY)


def test_a_download_elsewhere_is_not_fetched(wechat):
    serve(wechat, bill(), url="https://bills.example.com/v3/billdownload/file?t=1")
    with pytest.raises(ProviderError):
        WECHAT.statement(DAY)
    assert [path for _, path, _ in wechat.calls if DOWNLOAD in path] == []


@pytest.mark.parametrize(
    "lines",
    [
        [row(交易状态="SUCCESS", 订单金额="twelve")],
        [row(交易状态="SUCCESS", 订单金额="NaN")],
        [row(交易状态="SUCCESS", 订单金额="1.00") + ",`extra"],
        ["2025-05-20 13:29:35,wx,1900000109"],
    ],
)
def test_a_bill_row_that_does_not_read_is_an_error(wechat, lines):
    serve(wechat, bill(lines))
    with pytest.raises(ProviderError, match="could not be read"):
        WECHAT.statement(DAY)


def test_a_bill_without_our_columns_is_an_error(wechat):
    serve(wechat, "交易时间,微信订单号\n`2025-05-20,`42\n".encode())
    with pytest.raises(ProviderError, match="could not be read"):
        WECHAT.statement(DAY)


def test_a_day_without_trades_has_no_bill(wechat):
    wechat.answer(
        "GET",
        "/v3/bill/tradebill",
        {"code": "NO_STATEMENT_EXIST", "message": "账单文件不存在"},
        status=400,
    )
    assert WECHAT.statement(DAY) == []


def test_a_bill_not_ready_yet_is_asked_for_later(wechat):
    wechat.answer(
        "GET",
        "/v3/bill/tradebill",
        {"code": "STATEMENT_CREATING", "message": "账单生成中"},
        status=400,
    )
    with pytest.raises(ProviderUnavailable):
        WECHAT.statement(DAY)


def test_wechat_pay_is_reconciled():
    assert WECHAT.reconciles is True and WECHAT.online is True
