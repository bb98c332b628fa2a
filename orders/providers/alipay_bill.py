"""Alipay's trade bill of a day (账单, bill_type "trade"), read into statement
lines. The bill is a zip of GBK-encoded CSV files: the detail (业务明细) and a
summary (业务明细(汇总)). The detail is found by its header row, whatever the
files are called: lines starting with "#" are titles and totals, then a header
(支付宝交易号, 商户订单号, 业务类型, …, 订单金额（元）, …, 退款批次号/请求号, …) and
one row per money movement, its cells often padded with tabs. A 交易 row is a
payment; a 退款 row is a refund, its amount negative (money out), read as its size."""

import csv
import io
import logging
import re
import zipfile
import zlib
from decimal import Decimal

from django.utils.translation import gettext as _

from orders.providers.base import ProviderError, StatementLine

logger = logging.getLogger(__name__)

TRADE_NO = "支付宝交易号"
REFERENCE = "商户订单号"
KIND = "业务类型"
AMOUNT = "订单金额(元)"
REFUND_ID = "退款批次号/请求号"
KINDS = {"交易": "payment", "退款": "refund"}
MONEY = re.compile(r"-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?")
# A day's bill of a small shop is kilobytes; anything this big is not a bill.
MAX_BYTES = 64 * 1024 * 1024


def unreadable_bill() -> ProviderError:
    return ProviderError(_("Alipay's statement could not be read."))


def parse_bill(archive: bytes) -> list[StatementLine]:
    """The payments and refunds of the bill zip `archive`; ProviderError if it
    is not such a bill."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as bill:
            for info in bill.infolist():
                if info.is_dir() or info.file_size > MAX_BYTES:
                    continue
                lines = _detail(bill.read(info).decode("gb18030"))
                if lines is not None:
                    return lines
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # an unknown compression
        UnicodeDecodeError,
        csv.Error,
    ) as exc:
        raise unreadable_bill() from exc
    raise unreadable_bill()


def _header_name(cell: str) -> str:
    return cell.strip().replace("（", "(").replace("）", ")")


def _detail(text: str) -> list[StatementLine] | None:
    """The lines of a detail CSV; None for another file of the bill."""
    rows = csv.reader(
        line for line in text.splitlines() if line.strip() and line[0] != "#"
    )
    header = [_header_name(cell) for cell in next(rows, [])]
    if not {TRADE_NO, REFERENCE, KIND, AMOUNT} <= set(header):
        return None
    column = {name: header.index(name) for name in (TRADE_NO, REFERENCE, KIND, AMOUNT)}
    refund_column = header.index(REFUND_ID) if REFUND_ID in header else None
    lines = []
    for number, row in enumerate(rows, start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) < len(header):
            raise unreadable_bill()
        kind = KINDS.get(cells[column[KIND]])
        if kind is None:
            logger.warning(
                "Alipay bill row %s skipped: %r", number, cells[column[KIND]]
            )
            continue
        amount = cells[column[AMOUNT]]
        if not MONEY.fullmatch(amount):
            raise unreadable_bill()
        refund_id = cells[refund_column] if refund_column is not None else ""
        if kind == "refund" and not refund_id:
            raise unreadable_bill()
        lines.append(
            StatementLine(
                kind=kind,
                reference=cells[column[REFERENCE]],
                transaction_id=cells[column[TRADE_NO]],
                amount=abs(Decimal(amount)),
                refund_id=refund_id if kind == "refund" else "",
            )
        )
    return lines
