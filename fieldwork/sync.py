"""Records made on the assistant's phone, offline, and sent when the connection
returns (static/js/fieldwork-offline.js keeps them in IndexedDB).

- **Who recorded it.** Each page a record can be made on carries a token signed
  by the server for the assistant signed in then (`recorder_token`); the record
  keeps it, and is credited to that assistant whoever is signed in when it is
  sent.
- **Never twice.** The phone gives each record an id; a record that arrived is
  found by it, and one refused is refused again with the same reason.
- **Refusals are kept.** A record the server will not take (its farmer was
  reassigned meanwhile, the household's survey for that year exists, a figure
  is wrong) is kept as a SyncRefusal with its reason and what it said, and the
  reason goes back to the phone, which shows it.
The record is checked by the page's own form and recorded by the same service
as online (fieldwork.services)."""

from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assistants.models import Assistant
from assistants.selectors import assigned_farmers
from fieldwork.forms import OfflineEnvelopeForm, SurveyForm, TrainingForm, VisitForm
from fieldwork.models import (
    SURVEY_FIELDS,
    IncomeSurvey,
    SyncRefusal,
    TrainingSession,
    Visit,
)
from fieldwork.services import survey_record, training_record, visit_record

SALT = "fieldwork.sync.recorder"
# A record made offline may wait this long for a connection.
RECORDER_MAX_AGE = 90 * 24 * 3600
Kind = SyncRefusal.Kind
MODELS = {Kind.VISIT: Visit, Kind.SURVEY: IncomeSurvey, Kind.TRAINING: TrainingSession}


def recorder_token(assistant: Assistant) -> str:
    """The signed name of the assistant signed in, for the records made now."""
    return signing.dumps(assistant.pk, salt=SALT, compress=True)


def recorder_of(token: str) -> Assistant | None:
    """The assistant a record's token names, if it is genuine, not too old, and
    their account is still active."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=RECORDER_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Assistant.objects.select_related("user")
        .filter(pk=pk, user__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class Outcome:
    status: str  # "created", "duplicate" or "refused"
    reason: str = ""


def _errors(*forms) -> str:
    """A form's errors as one line: "label: message" for each."""
    said = []
    for form in forms:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            said += [f"{label}: {e}" if label else str(e) for e in errors]
    return " ".join(said)


def offline_record(*, data, files) -> Outcome:
    """Record what a phone sent, once: created, a duplicate of what arrived, or
    refused (kept, with the reason). A ValueError if it is no record at all (no
    valid kind, id or recorder), which the phone shows as it is."""
    envelope = OfflineEnvelopeForm(data, files)
    if not envelope.is_valid() and {"kind", "client_id", "recorder"} & set(
        envelope.errors
    ):
        raise ValueError(_errors(envelope))
    sent = envelope.cleaned_data
    client_id, kind = sent["client_id"], sent["kind"]
    recorder = recorder_of(sent["recorder"])
    if recorder is None:
        raise ValueError(
            _(
                "Whoever recorded this is unknown here, or it waited too long to "
                "be sent."
            )
        )
    if MODELS[kind].objects.filter(client_id=client_id).exists():
        return Outcome("duplicate")
    refused = SyncRefusal.objects.filter(client_id=client_id).first()
    if refused is not None:
        return Outcome("refused", refused.reason)
    reason = _errors(envelope) if envelope.errors else ""
    if not reason:
        try:
            with transaction.atomic():
                _record(kind, recorder, data, sent)
        except ValidationError as exc:
            reason = " ".join(exc.messages)
        except IntegrityError:  # the same record, sent twice at the same moment
            return Outcome("duplicate")
        else:
            return Outcome("created")
    _refuse(kind, client_id, recorder, data, sent, reason)
    return Outcome("refused", reason)


def _refuse(kind, client_id, recorder, data, sent, reason) -> None:
    said = {key: data.getlist(key) for key in data if key != "csrfmiddlewaretoken"}
    said.pop("recorder", None)
    try:
        with transaction.atomic():
            SyncRefusal.objects.create(
                client_id=client_id,
                kind=kind,
                assistant=recorder,
                reason=reason,
                sent=said,
                device_recorded_at=sent.get("device_time"),
            )
    except IntegrityError:
        pass  # refused a moment ago, by a resend


def _farmer(recorder, sent):
    farmer_id = sent.get("farmer", "")[:18]
    farmer = (
        assigned_farmers(recorder)
        .select_related("household")
        .filter(pk=int(farmer_id) if farmer_id.isdigit() else None)
        .first()
    )
    if farmer is None:
        raise ValidationError(
            _("This farmer is not, or no longer, one of yours: nothing was recorded."),
            code="not_assigned",
        )
    return farmer


def _record(kind, recorder, data, sent) -> None:
    device = {
        "client_id": sent["client_id"],
        "device_recorded_at": sent.get("device_time"),
    }
    if kind == Kind.TRAINING:
        form = TrainingForm(data, farmers=assigned_farmers(recorder))
        if not form.is_valid():
            raise ValidationError(_errors(form))
        training_record(assistant=recorder, device=device, **form.cleaned_data)
        return
    farmer = _farmer(recorder, sent)
    if kind == Kind.VISIT:
        form = VisitForm(data)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        evidence = {
            "latitude": sent.get("latitude"),
            "longitude": sent.get("longitude"),
        }
        photos = [p for p in [sent.get("photo_1")] if p]
        if photos:
            evidence["photo"] = photos[0]
        visit_record(
            assistant=recorder,
            household=farmer.household,
            device={**device, **evidence},
            **form.cleaned_data,
        )
        return
    form = SurveyForm(data)
    if not form.is_valid():
        raise ValidationError(_errors(form))
    year = form.cleaned_data["year"]
    existing = IncomeSurvey.objects.filter(
        household=farmer.household, year=year
    ).first()
    if existing is not None:
        raise ValidationError(
            _(
                "This household already has a survey for %(year)s, last changed "
                "on the server on %(changed)s. Look at it there and correct it if "
                "need be: this one was not recorded."
            )
            % {
                "year": year,
                "changed": date_format(
                    timezone.localtime(existing.updated_at), "SHORT_DATETIME_FORMAT"
                ),
            },
            code="duplicate",
        )
    survey_record(
        household=farmer.household,
        year=year,
        recorded_by=recorder.user,
        device=device,
        **{name: form.cleaned_data[name] for name in SURVEY_FIELDS},
    )
