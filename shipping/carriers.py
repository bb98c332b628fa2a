"""The common carriers a farmer ships with: each one's name, the shape of its
tracking numbers and where a buyer follows a parcel. A shipment stores the
carrier's code; "other" takes any carrier, with the loosest check."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Parcels are followed on Kuaidi100, the tracking page that covers every carrier
# here by one address (its `com` code per carrier); a carrier's own site needs a
# sign-in or a captcha for most of them.
TRACKING_PAGE = "https://www.kuaidi100.com/chaxun"


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    # What a tracking number of this carrier looks like (upper case, no spaces).
    pattern: str
    example: str
    # Kuaidi100's code for the carrier; "" when the page cannot be named.
    tracking_com: str = ""

    def link(self, number: str) -> str:
        """The page where `number` is followed; "" when there is none."""
        if not self.tracking_com:
            return ""
        return f"{TRACKING_PAGE}?{urlencode({'com': self.tracking_com, 'nu': number})}"


OTHER = "other"

CARRIERS = {
    carrier.code: carrier
    for carrier in (
        Carrier(
            "sf",
            gettext_lazy("SF Express (顺丰速运)"),
            r"SF\d{12,13}|\d{12}",
            "SF1234567890123",
            "shunfeng",
        ),
        Carrier(
            "ems",
            gettext_lazy("EMS (中国邮政 EMS)"),
            r"[A-Z]{2}\d{9}[A-Z]{2}|1\d{12}",
            "1123456789012",
            "ems",
        ),
        Carrier(
            "post",
            gettext_lazy("China Post parcel (邮政快递包裹)"),
            r"9\d{12}|[A-Z]{2}\d{9}CN",
            "9812345678901",
            "youzhengguonei",
        ),
        Carrier(
            "jd",
            gettext_lazy("JD Logistics (京东物流)"),
            r"JD[A-Z0-9]{11,16}",
            "JDVA12345678901",
            "jd",
        ),
        Carrier(
            "zto",
            gettext_lazy("ZTO Express (中通快递)"),
            r"\d{12}|\d{14}",
            "751234567890",
            "zhongtong",
        ),
        Carrier(
            "yto",
            gettext_lazy("YTO Express (圆通速递)"),
            r"YT\d{13}",
            "YT1234567890123",
            "yuantong",
        ),
        Carrier(
            "sto",
            gettext_lazy("STO Express (申通快递)"),
            r"\d{12,13}",
            "7712345678901",
            "shentong",
        ),
        Carrier(
            "yunda",
            gettext_lazy("Yunda Express (韵达快递)"),
            r"\d{13}|\d{15}",
            "4312345678901",
            "yunda",
        ),
        Carrier(
            "jt",
            gettext_lazy("J&T Express (极兔速递)"),
            r"JT\d{13}",
            "JT1234567890123",
            "jtexpress",
        ),
        Carrier(
            "deppon",
            gettext_lazy("Deppon (德邦快递)"),
            r"DPK\d{12}|\d{10}",
            "DPK123456789012",
            "debangkuaidi",
        ),
        Carrier(OTHER, gettext_lazy("Other carrier"), r"[A-Z0-9-]{4,40}", "AB-1234"),
    )
}


def carrier_choices() -> list[tuple[str, str]]:
    """The carriers as form choices, in the order above."""
    return [(carrier.code, carrier.name) for carrier in CARRIERS.values()]


def carrier_name(code: str) -> str:
    """A stored carrier's name; an unknown code (text kept from before the
    list) as it was stored."""
    carrier = CARRIERS.get(code)
    return str(carrier.name) if carrier else code


def tracking_link(code: str, number: str) -> str:
    """Where a buyer follows the parcel; "" for another or an unknown carrier."""
    carrier = CARRIERS.get(code)
    return carrier.link(number) if carrier else ""


def tracking_clean(code: str, number: str) -> str:
    """`number` as stored for carrier `code` (spaces dropped, upper case), or a
    ValidationError that says what the carrier's numbers look like."""
    carrier = CARRIERS.get(code)
    if carrier is None:
        raise ValidationError(_("Choose a carrier from the list."), code="carrier")
    cleaned = re.sub(r"\s+", "", number or "").upper()
    if not re.fullmatch(carrier.pattern, cleaned):
        raise ValidationError(
            _(
                "This is not a %(carrier)s tracking number: check it against the "
                "label (for example %(example)s)."
            )
            % {"carrier": carrier.name, "example": carrier.example},
            code="tracking_number",
        )
    return cleaned
