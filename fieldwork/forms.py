"""Forms of the field work: training sessions, visits and surveys, and the
envelope of a record made offline. They validate input; fieldwork.services
decides."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistants.forms import FarmerChoices
from common.photo_fields import PhotoFields
from common.widgets import DateInput
from fieldwork.models import (
    MAX_SESSION_HOURS,
    SURVEY_FIELDS,
    IncomeSurvey,
    SkillTopic,
    SyncRefusal,
    Visit,
)

DATE = DateInput()


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(
        label=_("Duration (hours)"),
        min_value=Decimal("0.1"),
        max_value=MAX_SESSION_HOURS,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "max_value": _("A session lasts at most %(limit_value)s hours."),
        },
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    location = forms.CharField(label=_("Location"), max_length=100, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Skill topics"),
        choices=SkillTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one skill topic.")},
    )
    farmers = FarmerChoices(
        label=_("Farmers who attended"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, farmers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["farmers"].queryset = farmers

    def clean(self):
        data = super().clean()
        if not data.get("online") and not (data.get("location") or "").strip():
            self.add_error(
                "location", _("Say where the session was held, or mark it online.")
            )
        return data


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ("visited_on", "purpose", "challenges", "support_needed")
        widgets = {
            "visited_on": DATE,
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "support_needed": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate


class SurveyForm(forms.ModelForm):
    """The typed figures; platform sales are filled in from the orders."""

    class Meta:
        model = IncomeSurvey
        fields = ("year", *SURVEY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["year"]
        else:
            self.fields["year"].initial = timezone.localdate().year - 1
        for name in SURVEY_FIELDS[1:]:
            self.fields[name].widget.attrs.update(inputmode="decimal", step="0.01")

    def validate_unique(self):
        """The service refuses a duplicate year with its own message."""


class OfflineEnvelopeForm(PhotoFields, forms.Form):
    """What wraps a record made on the assistant's phone (fieldwork.sync): its
    kind, the id the phone gave it, who recorded it (a signed token), the phone's
    clock, the farmer, and for a visit a GPS position and a photo. The record's
    own fields are the page's form's."""

    kind = forms.ChoiceField(choices=SyncRefusal.Kind.choices)
    client_id = forms.UUIDField()
    recorder = forms.CharField(max_length=200)
    device_time = forms.DateTimeField(required=False)
    farmer = forms.CharField(max_length=20, required=False)
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=6, max_digits=9
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=6, max_digits=9
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_photo_fields(1, lambda n: _("Photo of the visit"))
