"""The audit page's filters, validated like any form: a bad value is a message on
the page, never an error."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from common.web import IdConverter
from common.widgets import DateInput


class AuditFilterForm(forms.Form):
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, empty_label=_("All counties")
    )
    farmer = forms.CharField(
        label=_("Farmer number"),
        required=False,
        validators=[
            RegexValidator(
                f"^{IdConverter.regex}\\Z",
                _("A farmer number is digits only, at most 18 of them."),
            )
        ],
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditEvent.Action.choices],
    )
    since = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                _("The start date is after the end date."), code="dates"
            )
        return data

    def filter(self, events):
        """The events that match the (valid) filters; dates are local days."""
        data = self.cleaned_data
        if data["county"]:
            events = events.filter(county=data["county"])
        if data["farmer"]:
            events = events.filter(farmer_id=int(data["farmer"]))
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        return events
