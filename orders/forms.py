"""Forms of the order pages: cart quantities, addresses, checkout, shipping and
the staff's reconciliation page. They validate input; the services in cart.py,
checkout.py, transitions.py and reconciliation.py decide."""

import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from orders.models import MAX_QUANTITY, Address, PaymentProviderCode
from orders.providers import enabled_providers, provider_choices

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 -]{5,18}$", _("Enter a phone number: digits, spaces or hyphens.")
)
tracking_validator = RegexValidator(
    r"^[A-Za-z0-9-]{4,40}$",
    _("A tracking number has 4 to 40 letters, digits or hyphens."),
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
    class Meta:
        model = Address
        fields = ("recipient", "phone", "region", "street")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["phone"].widget.attrs["inputmode"] = "tel"


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

    def __init__(self, *args, addresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = addresses
        first = addresses.first()
        if first is not None:
            self.fields["address"].initial = first.pk
        self.fields["provider"].initial = next(iter(enabled_providers()), None)


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"),
        max_length=40,
        help_text=_("For example: 中国邮政 EMS, 顺丰速运, 中通快递"),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"), max_length=40, validators=[tracking_validator]
    )

    def clean_carrier(self):
        carrier = self.cleaned_data["carrier"].strip()
        if not carrier:
            raise forms.ValidationError(_("Enter the carrier."))
        return carrier


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
