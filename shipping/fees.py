"""The shipping fee: what one storefront's order costs to send to a province,
by the storefront's template (its `Terms`). By weight, the parcel's net weight
is rounded up to whole kilograms (at least one): the first costs `first`, each
further one `additional`; by piece, the same per piece. An order whose goods
reach the template's free-shipping value ships free; a province the template
does not deliver to has no fee at all (None), and cannot be ordered to."""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from common.money import to_fen
from shipping.models import ChargeBy


@dataclass(frozen=True)
class Terms:
    """A template as the fee reads it: `groups` maps a province's code to its
    group's (first, additional)."""

    charge_by: str
    first: Decimal
    additional: Decimal
    free_over: Decimal | None = None
    groups: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    not_delivered: frozenset[str] = frozenset()


# Every storefront starts with these (shipping.receivers), so nobody sells at a
# loss by accident: by weight, ¥8 for the first kg and ¥4 for each further one;
# the far west and north (Inner Mongolia, Tibet, Gansu, Qinghai, Ningxia,
# Xinjiang) ¥18 and ¥10; not to Taiwan, Hong Kong or Macao.
REMOTE = ("150000", "540000", "620000", "630000", "640000", "650000")
DEFAULT_TERMS = Terms(
    charge_by=ChargeBy.WEIGHT,
    first=Decimal("8.00"),
    additional=Decimal("4.00"),
    groups=dict.fromkeys(REMOTE, (Decimal("18.00"), Decimal("10.00"))),
    not_delivered=frozenset({"710000", "810000", "820000"}),
)


@dataclass(frozen=True)
class Parcel:
    """What one order sends: its goods' net weight, its pieces and their value."""

    weight_kg: Decimal
    pieces: int
    goods: Decimal


def fee(terms: Terms, province: str, parcel: Parcel) -> Decimal | None:
    """The fee to send `parcel` to `province` (a province's code) by `terms`;
    None where the storefront does not deliver."""
    if province in terms.not_delivered:
        return None
    if terms.free_over is not None and parcel.goods >= terms.free_over:
        return Decimal("0.00")
    first, additional = terms.groups.get(province, (terms.first, terms.additional))
    if terms.charge_by == ChargeBy.WEIGHT:
        units = max(1, math.ceil(parcel.weight_kg))
    else:
        units = max(1, parcel.pieces)
    return to_fen(first + (units - 1) * additional)
