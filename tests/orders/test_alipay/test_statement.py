"""The day's statement from Alipay's trade bill: the download URL asked of
alipay.data.dataservice.bill.downloadurl.query, the zip fetched, and its GBK
detail CSV read into payment and refund lines (the summary file and the "#"
lines skipped, tab padding stripped, a refund's negative amount read as its
size). A bill that is not one, or a bill not ready, is an error."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import requests
from django.utils import translation

from orders.providers import PROVIDERS
from orders.providers.alipay_client import AlipayRefused
from orders.providers.base import ProviderError, ProviderUnavailable, StatementLine
from tests.orders.test_alipay.fake import BILL_URL, bill_zip

ALIPAY = PROVIDERS["alipay"]
BILL = "alipay.data.dataservice.bill.downloadurl.query"
DAY = datetime.date(2024, 5, 1)
UNREADABLE = "statement could not be read"
REF = "6f1c1f0e-9a51-4d57-9a3e-2b1f5c3e8a10"


def test_the_bill_becomes_payment_and_refund_lines(alipay):
    alipay.on(BILL, bill_download_url=BILL_URL)
    alipay.bill(
        bill_zip(
            [
                ("2024050122001400000000000001", REF, "交易", "24.00", ""),
                ("2024050122001400000000000001", REF, "退款", "-10.00", f"{REF}-7"),
                ("2024050122001400000000000002", "other", "交易", "0.01", ""),
            ]
        )
    )
    assert ALIPAY.statement(DAY) == [
        StatementLine("payment", REF, "2024050122001400000000000001", Decimal("24.00")),
        StatementLine(
            "refund",
            REF,
            "2024050122001400000000000001",
            Decimal("10.00"),
            refund_id=f"{REF}-7",
        ),
        StatementLine(
            "payment", "other", "2024050122001400000000000002", Decimal("0.01")
        ),
    ]
    assert alipay.calls[0][1] == {"bill_type": "trade", "bill_date": "2024-05-01"}


def test_a_day_without_trades_is_an_empty_statement(alipay):
    alipay.on(BILL, bill_download_url=BILL_URL)
    alipay.bill(bill_zip([]))
    assert ALIPAY.statement(DAY) == []


def zip_of(name: str, text: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bill:
        bill.writestr(name, text.encode("gbk"))
    return archive.getvalue()


BAD_BILLS = {
    "not a zip": b"<html>not found</html>",
    "no detail": zip_of("summary.csv", "#汇总\n门店编号,门店名称\n合计,\n"),
    "an amount that is not one": bill_zip([("2024", REF, "交易", "twelve", "")]),
    "a refund without its number": bill_zip([("2024", REF, "退款", "-1.00", "")]),
    "a short row": zip_of(
        "detail.csv", "支付宝交易号,商户订单号,业务类型,订单金额（元）\n2024,x\n"
    ),
}


@pytest.mark.parametrize("archive", BAD_BILLS.values(), ids=BAD_BILLS.keys())
def test_a_bill_that_cannot_be_read_is_an_error(alipay, archive):
    alipay.on(BILL, bill_download_url=BILL_URL)
    alipay.bill(archive)
    with translation.override("en"), pytest.raises(ProviderError, match=UNREADABLE):
        ALIPAY.statement(DAY)


def test_a_bill_not_ready_is_alipays_refusal(alipay):
    alipay.refuse(BILL, "isp.bill_not_exist", "账单不存在")
    with pytest.raises(AlipayRefused, match="账单不存在"):
        ALIPAY.statement(DAY)


def test_a_download_url_that_is_not_https_is_refused(alipay):
    alipay.on(BILL, bill_download_url="http://dwbillcenter.alipay.com/x")
    with translation.override("en"), pytest.raises(ProviderError, match=UNREADABLE):
        ALIPAY.statement(DAY)


def test_a_download_that_times_out_is_unavailable(alipay):
    alipay.on(BILL, bill_download_url=BILL_URL)
    alipay.mock.add("GET", BILL_URL, body=requests.exceptions.ReadTimeout())
    with pytest.raises(ProviderUnavailable):
        ALIPAY.statement(DAY)
