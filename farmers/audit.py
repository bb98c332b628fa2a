"""The on-behalf audit trail: the services call on_behalf() whenever someone other
than the farmer (their assistant, or staff) acts for them, so officials can see who
changed what, and when."""

from farmers.models import Farmer, OnBehalfEvent, Product


def on_behalf(
    *,
    actor,
    farmer: Farmer,
    action: str,
    product: Product | None = None,
    detail: str = "",
) -> OnBehalfEvent | None:
    """Record `actor`'s action for `farmer`; nothing when the farmer acts (or when
    the platform itself does, `actor` None)."""
    if actor is None or actor.pk == farmer.user_id:
        return None
    return OnBehalfEvent.objects.create(
        farmer=farmer, actor=actor, action=action, product=product, detail=detail
    )
