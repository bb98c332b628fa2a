"""Forms of the order pages: cart quantities, addresses, checkout, shipping and
the staff's reconciliation page. They validate input; the services in cart.py,
checkout.py, transitions.py and reconciliation.py decide."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from counties.models import Division
from counties.selectors import divisions_within, provinces
from orders.models import MAX_QUANTITY, Address, PaymentProviderCode
from orders.providers import enabled_providers, provider_choices
from shipping.carriers import carrier_choices, tracking_clean

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{5,18}$", _("Enter a phone number: digits, spaces or hyphens.")
)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=0,
        max_value=MAX_QUANTITY,
        error_messages={
            "max_value": _("At most %(limit_value)s at a time."),
            "min_value": _("The quantity cannot be negative."),
        },
    )


class AddToCartForm(QuantityForm):
    product = forms.IntegerField(
        min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity < 1:
            raise forms.ValidationError(_("The quantity must be at least 1."))
        return quantity


class AddressForm(forms.ModelForm):
    """An address: the province, city and district chosen from the divisions
    (static/js/divisions.js fills the next list; without it, the form comes
    back with the next list filled), then the street. Its cleaned data is what
    address_add takes: `division` the deepest one chosen."""

    province = forms.ChoiceField(label=_("Province"))
    city = forms.ChoiceField(label=_("City"), required=False)
    district = forms.ChoiceField(label=_("District or county"), required=False)

    class Meta:
        model = Address
        fields = ("recipient", "phone", "province", "city", "district", "street")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self._choose("province", provinces(), "")
        self._choose("city", divisions_within(self._picked("province")), "province")
        self._choose("district", divisions_within(self._picked("city")), "city")

    def _picked(self, name: str) -> str:
        """The code posted for `name`, if it is one (six digits)."""
        value = str(self.data.get(self.add_prefix(name), "")) if self.is_bound else ""
        return value if re.fullmatch(r"[0-9]{6}", value) else ""

    def _choose(self, name: str, divisions, within: str) -> None:
        field = self.fields[name]
        field.choices = [("", _("Choose…"))] + [(d.code, d.name) for d in divisions]
        field.widget.attrs.update({"data-divisions": name, "data-within": within})

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in ("province", "city", "district")]
        deepest = next((code for code in reversed(chosen) if code), None)
        if deepest is None:
            return data
        below = divisions_within(deepest).exists()
        if below:
            self.add_error(
                "district" if data.get("city") else "city",
                _("Choose the city and the district too."),
            )
            return data
        data["division"] = Division.objects.get(pk=deepest)
        for name in ("province", "city", "district"):
            data.pop(name, None)
        return data


class CheckoutForm(forms.Form):
    address = forms.ModelChoiceField(
        label=_("Ship to"),
        queryset=Address.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose an address, or add one.")},
    )
    provider = forms.ChoiceField(
        label=_("Payment method"),
        choices=provider_choices,
        widget=forms.RadioSelect,
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    quote = forms.CharField(widget=forms.HiddenInput, max_length=20000)

    def __init__(self, *args, addresses, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = addresses
        first = addresses.first()
        if first is not None:
            self.fields["address"].initial = first.pk
        self.fields["provider"].initial = next(iter(enabled_providers()), None)
        # Where a storefront offers pickup: delivery, or one of its points.
        for group in groups:
            if group.pickups:
                self.fields[f"pickup_{group.farmer.pk}"] = forms.ChoiceField(
                    label=_("%(shop)s: delivery or pickup")
                    % {"shop": group.farmer.shop_name},
                    choices=[("", _("Deliver to my address"))]
                    + [
                        (
                            str(point.pk),
                            _("Pick up, free: %(name)s, %(address)s (%(hours)s)")
                            % {
                                "name": point.name,
                                "address": point.address,
                                "hours": point.opening_hours,
                            },
                        )
                        for point in group.pickups
                    ],
                    widget=forms.RadioSelect,
                    required=False,
                    initial="",
                )

    def pickups(self) -> dict[int, int]:
        """The points chosen, by storefront (the farmer's id)."""
        return {
            int(name.removeprefix("pickup_")): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("pickup_") and value
        }


class ShipForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"), choices=carrier_choices)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40)

    def clean(self):
        data = super().clean()
        if "carrier" in data and "tracking_number" in data:
            try:
                data["tracking_number"] = tracking_clean(
                    data["carrier"], data["tracking_number"]
                )
            except ValidationError as error:
                self.add_error("tracking_number", error)
        return data


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)


class ReconciliationFilterForm(forms.Form):
    """The reconciliation page's filters: open or resolved mismatches (open
    unless asked), of one provider or all."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("resolved", _("Resolved")),
            ("all", _("All")),
        ],
    )
    provider = forms.ChoiceField(
        label=_("Payment method"),
        required=False,
        choices=[("", _("All payment methods")), *PaymentProviderCode.choices],
    )

    def filter(self, mismatches):
        data = self.cleaned_data if self.is_bound else {}
        status = data.get("status") or "open"
        if status != "all":
            mismatches = mismatches.filter(resolved_at__isnull=status == "open")
        if data.get("provider"):
            mismatches = mismatches.filter(reconciliation__provider=data["provider"])
        return mismatches


class MismatchResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How it was resolved"),
        max_length=500,
        error_messages={"required": _("Say how it was resolved: a note is required.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
