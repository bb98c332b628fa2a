"""Writes about households and farmers: a household file, verification, leaving
the poverty register, the storefront, and the register import."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit import services as audit
from audit.models import AuditEvent
from common.signals import records_written
from common.storage import private_storage
from farmers.audit import on_behalf
from farmers.models import (
    Farmer,
    Household,
    RegisterExit,
    RegisterImport,
    RegisterStatus,
)
from farmers.register_import import (
    HouseholdRowForm,
    RegisterFileError,
    check_register,
    read_register,
)
from sms.models import TextMessage
from sms.services import sms_queue

Action = AuditEvent.Action


@transaction.atomic
def household_create(**fields) -> Household:
    """Create a household file after validating it like a form would."""
    household = Household(**fields)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def farmer_verify(*, farmer: Farmer, verified_by: User) -> Farmer:
    """Record that an assistant visited the farm and vouches for the shop."""
    farmer = Farmer.objects.select_for_update(of=("self",)).get(pk=farmer.pk)
    before = audit.snapshot(farmer, ["verified_at", "verified_by"])
    farmer.verified_at, farmer.verified_by = timezone.now(), verified_by
    farmer.save(update_fields=["verified_at", "verified_by"])
    old, new = audit.diff(before, farmer, ["verified_at", "verified_by"])
    on_behalf(
        actor=verified_by,
        farmer=farmer,
        action=Action.FARM_VERIFIED,
        before=old,
        after=new,
    )
    return farmer


@transaction.atomic
def household_exit_register(
    *, household: Household, exited_on: date, reason: str, recorded_by: User
) -> RegisterExit:
    """Record that a registered household left the poverty register; the file stays."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.status != RegisterStatus.REGISTERED:
        raise ValidationError(
            _("Only a registered household can leave the register."),
            code="not_registered",
        )
    if exited_on > timezone.localdate():
        raise ValidationError(
            _("The exit date cannot be in the future."), code="future"
        )
    event = RegisterExit.objects.create(
        household=household, exited_on=exited_on, reason=reason, recorded_by=recorded_by
    )
    before = audit.snapshot(household, ["status", "exited_on"])
    household.status = RegisterStatus.EXITED
    household.exited_on = exited_on
    household.save(update_fields=["status", "exited_on", "updated_at"])
    old, new = audit.diff(before, household, ["status", "exited_on"])
    audit.record(
        actor=recorded_by,
        action=Action.HOUSEHOLD_EXITED,
        subject=household,
        household=household,
        before=old,
        after=new,
        note=reason,
    )
    return event


@transaction.atomic
def register_import_upload(*, upload, uploaded_by: User) -> RegisterImport:
    """Keep an uploaded register for its preview and, later, its import. A file
    that cannot be a register at all is refused here and nothing is stored; the
    preview lists the errors of each row."""
    try:
        read_register(upload)
    except RegisterFileError as exc:
        raise ValidationError(str(exc), code="not_a_register") from exc
    record = RegisterImport(original_name=upload.name[:255], uploaded_by=uploaded_by)
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    record.file.save(f"register{suffix}", upload, save=False)
    record.save()
    return record


@transaction.atomic
def register_import_apply(
    *, register_import: RegisterImport, user: User
) -> RegisterImport:
    """Import every row of a previewed register in one transaction, or none."""
    record = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if record.status != RegisterImport.Status.PREVIEWED:
        raise ValidationError(_("This file has already been imported."), code="done")
    with record.file.open("rb") as file:
        check = check_register(file, user)
    if not check.ok:
        raise ValidationError(
            _("The file has errors, so nothing was imported."), code="invalid"
        )
    record.created, record.updated = check.creates, check.updates
    now = timezone.now()
    households = [row.form.save(commit=False) for row in check.rows]
    for household in households:
        household.updated_at = now  # bulk_update does not touch auto_now fields
    new = [h for h in households if h.pk is None]
    known = [h for h in households if h.pk is not None]  # before bulk_create sets pks
    # The known households as they are stored, for the audit (the import's forms
    # have already changed the instances).
    stored = Household.objects.select_related("village__county").in_bulk(
        [h.pk for h in known]
    )
    try:
        with transaction.atomic():
            Household.objects.bulk_create(new)
            records_written.send(Household)
            # One UPDATE per changed household: measured faster than bulk_update's
            # CASE expressions (5,000 rows on PostgreSQL here: about 3 s against 9 s).
            fields = [*HouseholdRowForm.Meta.fields, "village", "updated_at"]
            for household in known:
                household.save(update_fields=fields)
            audit.record_many(_import_events(user, new, known, stored))
    except IntegrityError as exc:  # another import took a number meanwhile
        raise ValidationError(
            _("The register changed while importing. Check the file again."),
            code="race",
        ) from exc
    record.rows = len(check.rows)
    record.status = RegisterImport.Status.IMPORTED
    record.imported_at = timezone.now()
    # The household data now lives in the households; the uploaded copy goes.
    stored = record.file.name
    record.file = ""
    record.save()
    transaction.on_commit(lambda: private_storage.delete(stored))
    return record


def _import_events(user: User, new: list, known: list, stored: dict) -> list:
    """One audit event per household the import created or changed."""
    events = [
        audit.event(
            actor=user,
            action=Action.HOUSEHOLD_IMPORTED,
            subject=household,
            household=household,
            after=audit.diff(None, household, Household.FILE_FIELDS)[1],
        )
        for household in new
    ]
    for household in known:
        before, after = audit.diff(
            stored[household.pk], household, Household.FILE_FIELDS
        )
        if after:
            events.append(
                audit.event(
                    actor=user,
                    action=Action.HOUSEHOLD_REIMPORTED,
                    subject=household,
                    household=household,
                    before=before,
                    after=after,
                )
            )
    return events


@transaction.atomic
def farmer_update_storefront(*, farmer: Farmer, **fields) -> Farmer:
    """Save the storefront settings a farmer edited (validated by StorefrontForm)."""
    # The form has already put the new photo on the instance; the stored name is
    # the one in the database.
    replaced = (
        Farmer.objects.values_list("cover_photo", flat=True).get(pk=farmer.pk)
        if "cover_photo" in fields
        else ""
    )
    for name, value in fields.items():
        # As a ModelForm would: a cleared file input arrives as False.
        Farmer._meta.get_field(name).save_form_data(farmer, value)
    farmer.save(update_fields=list(fields))
    if replaced and replaced != farmer.cover_photo.name:
        storage = farmer.cover_photo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return farmer


@transaction.atomic
def farmer_password_reset(*, farmer: Farmer, actor: User | None = None) -> None:
    """A farmer forgot their password: clear it so a new one-time link can be given.
    Their sessions end, since Django ties sessions to the password hash."""
    user = farmer.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    on_behalf(actor=actor, farmer=farmer, action=Action.PASSWORD_RESET)


@transaction.atomic
def password_link_text(*, farmer: Farmer, path: str):
    """Text the farmer their one-time set-password link (`path`, the link after
    SITE_URL: the approved template holds the site, docs/SMS.md), to the phone
    their assistant registered. Sent at once, even in the quiet hours."""
    return sms_queue(
        phone=farmer.user.phone or farmer.phone,
        purpose=TextMessage.Purpose.SET_PASSWORD,
        params={"link": path.lstrip("/")},
        recipient=farmer.user,
        urgent=True,
    )


@transaction.atomic
def register_uploads_purge(*, before) -> int:
    """Forget registers uploaded before `before` and never imported: they hold
    household data nobody needs any more. Returns how many were removed."""
    stale = RegisterImport.objects.filter(
        status=RegisterImport.Status.PREVIEWED, uploaded_at__lt=before
    )
    names = [name for name in stale.values_list("file", flat=True) if name]
    count, _deleted = stale.delete()

    def delete_files():
        for name in names:
            private_storage.delete(name)

    transaction.on_commit(delete_files)
    return count
