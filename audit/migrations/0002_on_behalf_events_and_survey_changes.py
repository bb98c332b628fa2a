"""Move the earlier trails into the audit trail: every farmers.OnBehalfEvent (the
listing change's "field: before → after" detail becomes before and after; other
details become the note), and every assistants.SurveyChange (one event per
correction: a survey's changes by one person within two seconds). The rows are
moved, not copied: OnBehalfEvent is dropped next (farmers 0007), and SurveyChange
is no longer used.

Going back moves them back and deletes the audit trail, whose other events had no
earlier home."""

import re
from datetime import timedelta

from django.db import migrations

ON_BEHALF_ACTIONS = {
    "onboarded",
    "listing_created",
    "listing_changed",
    "photos_changed",
    "listing_submitted",
    "listing_archived",
    "listing_restored",
    "password_reset",
}
CHANGE = re.compile(r"(?P<field>[a-z_]+): (?P<old>.*) → (?P<new>.*)", re.S)
WHOLE_NUMBERS = {"stock", "members", "platform_orders"}
SAME_CORRECTION = timedelta(seconds=2)


def _value(field, text):
    return int(text) if field in WHOLE_NUMBERS and text.isdigit() else text


def _listing_change(detail):
    """({field: before}, {field: after}) from "price: 1.00 → 2.00; stock: 3 → 4",
    or None if the detail is not in that form."""
    before, after = {}, {}
    for part in detail.split("; "):
        match = CHANGE.fullmatch(part)
        if match is None:
            return None
        field = match["field"]
        before[field] = _value(field, match["old"])
        after[field] = _value(field, match["new"])
    return before, after


def _type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    OnBehalfEvent = apps.get_model("farmers", "OnBehalfEvent")
    SurveyChange = apps.get_model("assistants", "SurveyChange")
    product_type = _type(apps, "farmers", "product")
    farmer_type = _type(apps, "farmers", "farmer")
    survey_type = _type(apps, "assistants", "incomesurvey")
    events = []
    for old in OnBehalfEvent.objects.select_related(
        "farmer__household__village", "product"
    ).order_by("at", "pk"):
        parsed = (
            _listing_change(old.detail) if old.action == "listing_changed" else None
        )
        before, after = parsed or ({}, {})
        events.append(
            AuditEvent(
                at=old.at,
                actor_id=old.actor_id,
                action=old.action,
                subject_type=product_type if old.product else farmer_type,
                subject_id=old.product_id or old.farmer_id,
                subject_label=(
                    old.product.title if old.product else old.farmer.shop_name
                )[:200],
                county_id=old.farmer.household.village.county_id,
                household_id=old.farmer.household_id,
                farmer_id=old.farmer_id,
                before=before,
                after=after,
                note="" if parsed else old.detail[:500],
            )
        )
    group = None
    for change in SurveyChange.objects.select_related(
        "survey__household__village"
    ).order_by("survey_id", "changed_by_id", "changed_at", "pk"):
        if (
            group is None
            or group.subject_id != change.survey_id
            or group.actor_id != change.changed_by_id
            or change.changed_at - group.at > SAME_CORRECTION
        ):
            survey = change.survey
            household = survey.household
            group = AuditEvent(
                at=change.changed_at,
                actor_id=change.changed_by_id,
                action="survey_corrected",
                subject_type=survey_type,
                subject_id=survey.pk,
                subject_label=(
                    f"{household.head_name} ({household.village.name}) {survey.year}"
                )[:200],
                county_id=household.village.county_id,
                household_id=household.pk,
                before={},
                after={},
            )
            events.append(group)
        group.before[change.field] = _value(change.field, change.old_value)
        group.after[change.field] = _value(change.field, change.new_value)
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    SurveyChange.objects.all().delete()
    OnBehalfEvent.objects.all().delete()


def backward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    OnBehalfEvent = apps.get_model("farmers", "OnBehalfEvent")
    SurveyChange = apps.get_model("assistants", "SurveyChange")
    product_type = _type(apps, "farmers", "product")
    Product = apps.get_model("farmers", "Product")
    products = set(Product.objects.values_list("pk", flat=True))
    for event in AuditEvent.objects.order_by("at", "pk"):
        if event.action in ON_BEHALF_ACTIONS and event.farmer_id and event.actor_id:
            detail = "; ".join(
                f"{field}: {event.before.get(field)} → {value}"
                for field, value in event.after.items()
            )
            is_product = (
                event.subject_type_id == product_type.pk
                and event.subject_id in products
            )
            row = OnBehalfEvent.objects.create(
                farmer_id=event.farmer_id,
                actor_id=event.actor_id,
                action=event.action,
                product_id=event.subject_id if is_product else None,
                detail=detail or event.note,
            )
            OnBehalfEvent.objects.filter(pk=row.pk).update(at=event.at)
        elif event.action == "survey_corrected" and event.actor_id:
            rows = SurveyChange.objects.bulk_create(
                SurveyChange(
                    survey_id=event.subject_id,
                    changed_by_id=event.actor_id,
                    field=field,
                    old_value=str(event.before.get(field, ""))[:40],
                    new_value=str(value)[:40],
                )
                for field, value in event.after.items()
            )
            SurveyChange.objects.filter(pk__in=[r.pk for r in rows]).update(
                changed_at=event.at
            )
    AuditEvent.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("farmers", "0006_on_behalf_events"),
        ("assistants", "0003_training_visits_surveys"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
