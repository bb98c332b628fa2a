"""The shipping template's page: the template's own prices and the provinces
it leaves out, and a formset of province groups at their own prices. They
validate each field; shipping.services.template_save checks the whole."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from counties.selectors import counties_visible_to, provinces
from shipping.models import ChargeBy, PickupPoint

PRICE = {
    "min_value": 0,
    "max_digits": MONEY["max_digits"],
    "decimal_places": MONEY["decimal_places"],
    "error_messages": {"min_value": _("Shipping fees cannot be negative.")},
}


def _province_choices():
    return [(province.code, province.name) for province in provinces()]


class TemplateForm(forms.Form):
    charge_by = forms.ChoiceField(
        label=_("Charge"), choices=ChargeBy.choices, widget=forms.RadioSelect
    )
    first = forms.DecimalField(label=_("First kg or piece (yuan)"), **PRICE)
    additional = forms.DecimalField(label=_("Each further kg or piece (yuan)"), **PRICE)
    free_over = forms.DecimalField(
        label=_("Free shipping from (yuan of goods per order)"),
        required=False,
        help_text=_("Leave empty to charge shipping on every order."),
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        error_messages={"min_value": _("The free-shipping amount cannot be below ¥0.")},
    )
    offers_pickup = forms.BooleanField(
        label=_("Buyers may pick up at a point of the county, with no fee"),
        required=False,
    )
    not_delivered = forms.MultipleChoiceField(
        label=_("Provinces not delivered to"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "provinces"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["not_delivered"].choices = _province_choices()
        self.fields["first"].help_text = _(
            "For every province in none of the groups below."
        )


class GroupForm(forms.Form):
    provinces = forms.MultipleChoiceField(
        label=_("Provinces"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "provinces"}),
    )
    first = forms.DecimalField(
        label=_("First kg or piece (yuan)"), required=False, **PRICE
    )
    additional = forms.DecimalField(
        label=_("Each further kg or piece (yuan)"), required=False, **PRICE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].choices = _province_choices()

    def clean(self):
        data = super().clean()
        chosen = bool(data.get("provinces"))
        priced = data.get("first") is not None and data.get("additional") is not None
        if chosen and not priced:
            raise forms.ValidationError(_("Give this group's two prices."))
        if priced and not chosen:
            raise forms.ValidationError(
                _("Choose at least one province for each group.")
            )
        return data


GroupFormSet = forms.formset_factory(
    GroupForm, extra=1, can_delete=True, max_num=10, validate_max=True
)


class PickupPointForm(forms.ModelForm):
    """A pickup point, in one of the user's counties (staff: any)."""

    class Meta:
        model = PickupPoint
        fields = (
            "county",
            "name",
            "kind",
            "address",
            "opening_hours",
            "phone",
            "active",
        )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties_visible_to(user)
