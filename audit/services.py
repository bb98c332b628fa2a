"""Writing the audit trail. Services call record() (or record_many() for a bulk
path) explicitly, inside their own transaction.atomic, so an event exists exactly
when its change does; signals are never used (they miss queryset updates and bulk
writes). diff() turns a model instance (or a dict) before and after into the
changed fields only, as JSON: money as strings at the field's decimal places, dates
and times in ISO 8601, related rows by their name.

What is covered, and how each bulk path is handled:

- Listings: every edit (price, stock and every other field, inline quick edits
  included: they go through product_update) and every photo change, by anyone, the
  farmer included: one event per edit, the listing's history
  (catalogue.services.listings and .photos; read by
  catalogue.selectors.listing_history; it replaced ProductChange, folded in by
  catalogue 0002). The trail's pages show only what others did
  (audit.selectors.DONE_BY_OTHERS). Created, submitted, archived and restored
  when someone else does it for the farmer (farmers.audit.on_behalf); onboarding,
  password reset and farm verification (farmers.services). Queryset updates of
  `stock` and `units_sold` (through catalogue.services.stock, by
  orders.services.checkout and orders.services.transitions) are sales,
  cancellations and refunds: the order's own events record them (and the
  cancellation or refund by staff has its audit row); products_recount_sold()
  only recounts `units_sold`, not a sensitive field. The Product admin is read-only.
- Assignments (assistants.services.assignment_assign): assign and reassign, one row
  per farmer; the bulk assignment page calls it per farmer, so it writes one row
  per farmer in its transaction. There is no unassign path. The Assignment admin is
  read-only.
- Households: onboarding with a new household (one row, the onboarding's),
  the register import (farmers.services.register_import_apply: a bulk insert and
  per-row updates, one row per household created or changed, written with one
  bulk insert in the same transaction), and leaving the register
  (household_exit_register). In the admin, a household's register fields and a
  farmer's household and verification are read-only, and households cannot be
  added or deleted there.
- Income surveys (fieldwork.services): recorded, corrected. The audit row is the
  survey's correction history (it replaced SurveyChange).
- Orders (orders.services.transitions): cancelled by anyone but the order's buyer
  or farmer (staff, the platform), and refunded. Expiry of unpaid orders is the
  platform's routine and only in the order's own events.
- Payment reconciliation mismatches (orders.services.reconciliation): resolved
  with a note, or applied from the gateway's answer, by staff: one row each.
- seed_demo's bulk loads write demo data, not changes to real records: no rows.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from audit.models import AuditEvent, field_at

EMPTY = (None, "", [], {})


def plain(value):
    """A value as JSON: money as a string, dates in ISO 8601, rows by name."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def value_of(obj, path: str):
    """A field of a model instance (or a dict's key) as JSON; paths follow
    relations ("household.status"). Decimals keep the field's decimal places."""
    if isinstance(obj, dict):
        return plain(obj.get(path))
    target = obj
    for part in path.split("."):
        target = getattr(target, part) if target is not None else None
    field = field_at(type(obj), path)
    if isinstance(field, models.DecimalField) and target is not None:
        return f"{Decimal(target):.{field.decimal_places}f}"
    return plain(target)


def snapshot(obj, fields: Iterable[str]) -> dict:
    """The fields' values now, as JSON: take it before changing an instance in
    place, and diff() it against the instance afterwards."""
    return {name: value_of(obj, name) for name in fields}


def diff(before, after, fields: Iterable[str]) -> tuple[dict, dict]:
    """The changed fields of `fields`, as (before, after) dicts. `before` and
    `after` are model instances or dicts; `before` None means there was nothing
    (a creation): only the fields given a value are kept."""
    old, new = {}, {}
    for name in fields:
        value = value_of(after, name)
        if before is None:
            if value not in EMPTY:
                new[name] = value
            continue
        previous = value_of(before, name)
        if previous != value:
            old[name], new[name] = previous, value
    return old, new


def event(
    *,
    actor,
    action: str,
    subject: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    farmer=None,
    household=None,
    county=None,
) -> AuditEvent:
    """An unsaved event. Its scope comes from what is given: the household defaults
    to the farmer's, the county to the household's village's."""
    household_id = household.pk if household is not None else None
    if household_id is None and farmer is not None:
        household_id = farmer.household_id
    if county is not None:
        county_id = county.pk
    elif household is not None:
        county_id = household.village.county_id
    elif farmer is not None:
        county_id = farmer.household.village.county_id
    else:
        county_id = None
    return AuditEvent(
        actor=actor,
        action=action,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        subject_label=str(subject)[:200],
        county_id=county_id,
        household_id=household_id,
        farmer=farmer,
        before={k: plain(v) for k, v in (before or {}).items()},
        after={k: plain(v) for k, v in (after or {}).items()},
        note=note[:500],
    )


def _inside_a_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "Record audit events inside the change's transaction.atomic."
        )


def record(**kwargs) -> AuditEvent:
    """Write one event (see event() for the arguments)."""
    _inside_a_transaction()
    audit_event = event(**kwargs)
    audit_event.save()
    return audit_event


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write events built with event() in one bulk insert (a bulk change)."""
    _inside_a_transaction()
    return AuditEvent.objects.bulk_create(events, batch_size=1000)
