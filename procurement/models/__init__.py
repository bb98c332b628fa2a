"""Work units (budget units: government bodies, schools, hospitals, state firms,
trade unions), who belongs to them, the invitations that bring people in, each
year's farm-produce budget, and the share of it reserved for produce from
poverty counties (a national default, overridden by a province); and the
unit's orders, their acceptance, invoices and the supplier's rating; its
staff's own purchases."""

from procurement.models.deliveries import (
    MAX_REFUSAL_PHOTOS,
    Acceptance,
    AcceptanceLine,
    Invoice,
    RefusalPhoto,
    SupplierRating,
    UnitOrder,
)
from procurement.models.purchases import Channel, MonthlyUnitPurchases
from procurement.models.staff import StaffPurchase, StaffShopper
from procurement.models.units import (
    ReservedShare,
    UnitBudget,
    UnitInvite,
    UnitKind,
    UnitMember,
    UnitRole,
    WorkUnit,
)

__all__ = [
    "MAX_REFUSAL_PHOTOS",
    "Acceptance",
    "AcceptanceLine",
    "Channel",
    "Invoice",
    "MonthlyUnitPurchases",
    "RefusalPhoto",
    "ReservedShare",
    "StaffPurchase",
    "StaffShopper",
    "SupplierRating",
    "UnitBudget",
    "UnitInvite",
    "UnitKind",
    "UnitMember",
    "UnitOrder",
    "UnitRole",
    "WorkUnit",
]
