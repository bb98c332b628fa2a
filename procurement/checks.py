"""System checks of work units: the font that units' receipt PDFs embed exists
(without it the receipt page says so instead of serving a PDF)."""

from pathlib import Path

from django.conf import settings
from django.core import checks


def font_available() -> bool:
    """Whether RECEIPT_FONT names a file (procurement.receipts embeds it)."""
    return Path(settings.RECEIPT_FONT).is_file()


@checks.register()
def receipt_font_present(app_configs=None, **kwargs):
    if font_available():
        return []
    return [
        checks.Warning(
            f"RECEIPT_FONT {settings.RECEIPT_FONT!r} is not a file: work units' "
            "receipts cannot be made.",
            hint="Install fonts-wqy-microhei, or set RECEIPT_FONT to a TrueType "
            "font with Chinese glyphs.",
            id="procurement.W001",
        )
    ]
