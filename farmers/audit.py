"""The on-behalf part of the audit trail: the services call on_behalf() whenever
someone other than the farmer (their assistant, or staff) acts for them, so
officials can see who changed what, and when. It writes an audit.AuditEvent.
A listing's edits and photos are recorded whoever makes them (the catalogue's
services call audit.services.record directly), and the trail's pages leave out
the farmer's own by the same rule as here (audit.selectors.DONE_BY_OTHERS)."""

from audit.models import AuditEvent
from audit.services import record
from farmers.models import Farmer


def on_behalf(
    *,
    actor,
    farmer: Farmer,
    action: str,
    subject=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Record `actor`'s action for `farmer` about `subject` (the farmer if none);
    nothing when the farmer acts (or when the platform itself does, `actor`
    None)."""
    if actor is None or actor.pk == farmer.user_id:
        return None
    return record(
        actor=actor,
        action=action,
        subject=subject if subject is not None else farmer,
        farmer=farmer,
        before=before,
        after=after,
        note=note,
    )
