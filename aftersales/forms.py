"""The after-sales pages' forms: the buyer's request (what, why, how many of
each line, up to three photos) and a move's note. They validate the fields;
aftersales.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aftersales.models import MAX_PHOTOS, AfterSale
from catalogue.models import ProductUnit
from common.photo_fields import PhotoFields


class RequestForm(PhotoFields, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=AfterSale.Kind.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(label=_("Why?"), choices=AfterSale.Reason.choices)
    details = forms.CharField(
        label=_("What happened (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        units = dict(ProductUnit.choices)
        for line in self.lines:
            left = line.quantity - line.returned
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(title)s: how many of %(left)s %(unit)s")
                % {"title": line.title, "left": left, "unit": units.get(line.unit, "")},
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "max_value": _("You bought at most %(limit_value)s of these.")
                },
            )
        self.add_photo_fields(
            MAX_PHOTOS, lambda n: _("Photo %(n)s (optional)") % {"n": n}
        )

    def request(self) -> dict:
        """What aftersales.services.aftersale_request takes."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "details": data["details"],
            "quantities": {
                line.pk: data[f"line_{line.pk}"] or 0 for line in self.lines
            },
            "photos": self.photos(),
        }


class MoveForm(forms.Form):
    note = forms.CharField(
        label=_("Reason or note"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    return_address = forms.CharField(
        label=_("Where the goods go back to"),
        max_length=300,
        required=False,
        help_text=_("Needed when you accept a return: name, phone and address."),
    )
