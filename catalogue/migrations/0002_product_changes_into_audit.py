"""Fold the listings' ProductChange rows into the audit trail, then drop the table
(farmers_productchange). A listing's history is now its audit events.

Forward: the rows one edit wrote (product_update wrote one row per changed field
in one insert; a photo change wrote one row) become the one event the services
now write for it: LISTING_CHANGED with the changed fields before and after, or
PHOTOS_CHANGED with the PhotoChange value as its note. Rows are one edit when
they have the same listing and author, each within SAME_EDIT of the row before
it, and name different fields (a photo row is always alone). The values keep
their language-free form (a category's slug, or the name older rows hold; choice
values), as the services write them: stock as a number, price and net weight at
their fields' decimal places.

When someone else made the edit, the services had already written its event
(farmers.audit.on_behalf): an event about the listing, by the same person, of the
same kind, at the edit's time (within SAME_EDIT) is taken as it, and no second
event is made. So the trail gains one event per edit the farmers made themselves
(and per edit by others that, from before the on-behalf record, had none).
platform/migrate-forward-check.sh checks that arithmetic.

Backward: every listing-change and photo event about an existing listing becomes
its ProductChange rows again (one per field, at the event's time), and the events
made by the listing's own farmer are deleted (the old code wrote none)."""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import migrations

SAME_EDIT = timedelta(seconds=2)
PHOTOS = "photos"
LISTING_CHANGED = "listing_changed"
PHOTOS_CHANGED = "photos_changed"
# The listing's fields in form order (catalogue.services.listings.LISTING_FIELDS
# when this was written).
FIELDS = ["category", "title", "description", "unit", "net_weight_kg", "price", "stock"]
DECIMAL_PLACES = {"price": 2, "net_weight_kg": 3}


def _value(field, text):
    """A ProductChange value as the services now store it."""
    if field == "stock" and text.isdigit():
        return int(text)
    if field in DECIMAL_PLACES and text:
        try:
            return f"{Decimal(text):.{DECIMAL_PLACES[field]}f}"
        except InvalidOperation:
            return text
    return text


def _product_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="catalogue", model="product")[0]


def edits(changes):
    """The rows in groups written by one edit (see the module's docstring);
    `changes` ordered by product, author, time and id."""
    group = []
    for change in changes:
        previous = group[-1] if group else None
        if (
            previous is None
            or previous.product_id != change.product_id
            or previous.changed_by_id != change.changed_by_id
            or PHOTOS in (previous.field, change.field)
            or change.changed_at - previous.changed_at > SAME_EDIT
            or change.field in {row.field for row in group}
        ):
            if group:
                yield group
            group = []
        group.append(change)
    if group:
        yield group


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ProductChange = apps.get_model("catalogue", "ProductChange")
    product_type = _product_type(apps)
    existing = {}
    for event in AuditEvent.objects.filter(
        subject_type=product_type, action__in=[LISTING_CHANGED, PHOTOS_CHANGED]
    ).order_by("at", "pk"):
        key = (event.subject_id, event.actor_id, event.action)
        existing.setdefault(key, []).append(event.at)
    changes = ProductChange.objects.select_related(
        "product__farmer__household__village"
    ).order_by("product_id", "changed_by_id", "changed_at", "pk")
    events = []
    for group in edits(changes.iterator(chunk_size=2000)):
        first, last = group[0], group[-1]
        photos = first.field == PHOTOS
        action = PHOTOS_CHANGED if photos else LISTING_CHANGED
        written = existing.get((first.product_id, first.changed_by_id, action), [])
        match = next(
            (
                at
                for at in written
                if first.changed_at - SAME_EDIT <= at <= last.changed_at + SAME_EDIT
            ),
            None,
        )
        if match is not None:
            written.remove(match)  # the on-behalf event of this edit
            continue
        product = first.product
        farmer = product.farmer
        events.append(
            AuditEvent(
                at=first.changed_at,
                actor_id=first.changed_by_id,
                action=action,
                subject_type=product_type,
                subject_id=product.pk,
                subject_label=product.title[:200],
                county_id=farmer.household.village.county_id,
                household_id=farmer.household_id,
                farmer_id=farmer.pk,
                before={}
                if photos
                else {row.field: _value(row.field, row.old_value) for row in group},
                after={}
                if photos
                else {row.field: _value(row.field, row.new_value) for row in group},
                note=first.new_value[:500] if photos else "",
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def _text(value) -> str:
    return "" if value is None else str(value)


def backward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ProductChange = apps.get_model("catalogue", "ProductChange")
    Product = apps.get_model("catalogue", "Product")
    products = dict(Product.objects.values_list("pk", "farmer__user_id"))
    own = []
    for event in AuditEvent.objects.filter(
        subject_type=_product_type(apps),
        action__in=[LISTING_CHANGED, PHOTOS_CHANGED],
        actor__isnull=False,
    ).order_by("at", "pk"):
        if event.subject_id not in products:
            continue  # the listing is gone, and its rows went with it
        common = {"product_id": event.subject_id, "changed_by_id": event.actor_id}
        if event.action == PHOTOS_CHANGED:
            rows = [ProductChange(**common, field=PHOTOS, new_value=event.note)]
        else:
            names = {*event.before, *event.after}
            order = sorted(
                names, key=lambda n: FIELDS.index(n) if n in FIELDS else len(FIELDS)
            )
            rows = [
                ProductChange(
                    **common,
                    field=name[:40],
                    old_value=_text(event.before.get(name)),
                    new_value=_text(event.after.get(name)),
                )
                for name in order
            ]
        made = ProductChange.objects.bulk_create(rows)
        ProductChange.objects.filter(pk__in=[row.pk for row in made]).update(
            changed_at=event.at
        )
        if event.actor_id == products[event.subject_id]:
            own.append(event.pk)
    AuditEvent.objects.filter(pk__in=own).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("audit", "0002_on_behalf_events_and_survey_changes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ProductChange"),
    ]
