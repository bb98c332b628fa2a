"""The page that shows a link once, as text and a QR code: an invitation into a
unit (one use) or the unit's staff link (until a new one replaces it)."""

import segno
from django.shortcuts import render


def link_page(request, unit, *, path: str, shown: str, reusable: bool = False):
    link = request.build_absolute_uri(path)
    context = {
        "unit": unit,
        "role_shown": shown,
        "link": link,
        "reusable": reusable,
        "qr_svg": segno.make(link, error="m").svg_inline(scale=4, omitsize=True),
    }
    return render(request, "procurement/invite_link.html", context)
