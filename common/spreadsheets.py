"""Cells for the files people open in a spreadsheet (report exports, payout
batches): text is never run as a formula, money keeps its fen in CSV, and numbers
stay numbers in XLSX."""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet must not run: a shop called "=HYPERLINK(…)" stays text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_cell(value):
    """A CSV cell: a Decimal as written (money to the fen: "136.00", never the
    float "136.0"), text never as a formula, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value)
    return xlsx_cell(value)


def xlsx_cell(value):
    """Numbers as numbers (money as a float of yuan for spreadsheets), text as text
    (never as a formula)."""
    if isinstance(value, str):
        return safe_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
