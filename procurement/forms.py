"""Forms of work units: registering one (staff), an invitation, a year's
budget, the unit's checkout, a bank transfer received, an acceptance, the
seller's invoice and the unit's rating. NUL bytes and lengths are refused by
Django's fields."""

import uuid
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import ProductUnit
from common.documents import clean_document
from common.money import MONEY
from common.photo_fields import PhotoFields
from common.widgets import DateInput
from common.years import FIRST_YEAR, LAST_YEAR
from counties.models import County
from orders.models import PaymentProviderCode
from procurement.models import MAX_REFUSAL_PHOTOS as MAX_PHOTOS
from procurement.models import UnitKind, UnitRole


class UnitRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=UnitKind.choices)
    county = forms.ModelChoiceField(
        label=_("Region (county)"), queryset=County.objects.order_by("province", "name")
    )
    pays_on_account = forms.BooleanField(
        label=_("May pay on account"),
        required=False,
        help_text=_(
            "The goods ship before payment, and the unit transfers what it "
            "accepted afterwards. Otherwise it pays before the goods ship."
        ),
    )


class UnitTermsForm(forms.Form):
    pays_on_account = UnitRegisterForm.base_fields["pays_on_account"]


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role in the unit"), choices=UnitRole.choices, initial=UnitRole.BUYER
    )
    note = forms.CharField(
        label=_("For whom"),
        max_length=60,
        required=False,
        help_text=_("A name or a department, to tell invitations apart."),
    )


class BudgetForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    amount = forms.DecimalField(
        label=_("Farm-produce budget (¥)"),
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)


PAYMENT_WAYS = [
    (
        PaymentProviderCode.BANK_TRANSFER,
        _("Company bank transfer, before the goods ship"),
    ),
    (
        PaymentProviderCode.ON_ACCOUNT,
        _("On account: transfer what you accept, after acceptance"),
    ),
]


class UnitCheckoutForm(forms.Form):
    """The unit's order: where and by when, under which contract or purchase
    order; paid by company bank transfer."""

    address = forms.ModelChoiceField(
        label=_("Deliver to"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose an address, or add one.")},
    )
    deliver_by = forms.DateField(label=_("Delivery date"), widget=DateInput)
    purchase_reference = forms.CharField(
        label=_("Contract or purchase-order reference"), max_length=40
    )
    provider = forms.ChoiceField(
        label=_("Payment"),
        widget=forms.RadioSelect,
        required=False,  # the unit's only way, when it has one
        error_messages={"invalid_choice": _("Your unit cannot pay this way.")},
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    quote = forms.CharField(widget=forms.HiddenInput, max_length=20000)

    def __init__(self, *args, addresses, ways, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].queryset = addresses
        labels = dict(PAYMENT_WAYS)
        self.fields["provider"].choices = [(code, labels[code]) for code in ways]
        self.fields["provider"].initial = ways[0] if ways else None
        self.ways = ways
        first = addresses.first()
        if first is not None:
            self.fields["address"].initial = first.pk

    def clean_provider(self):
        chosen = self.cleaned_data["provider"]
        if chosen:
            return chosen
        if len(self.ways) > 1:
            raise forms.ValidationError(_("Choose how the unit pays."), code="required")
        return self.ways[0] if self.ways else ""

    def clean_deliver_by(self):
        day = self.cleaned_data["deliver_by"]
        if day <= timezone.localdate():
            raise forms.ValidationError(
                _("The delivery date must be after today."), code="past"
            )
        return day


class TransferRefundSentForm(forms.Form):
    """A refund sent back to a unit by bank: that transfer's reference."""

    bank_reference = forms.CharField(
        label=_("The bank's reference"),
        max_length=64,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]{4,64}$",
                _("The bank's reference has 4 to 64 letters, digits or dashes."),
            )
        ],
        help_text=_("As the bank statement shows it (流水号)."),
    )


class TransferReceivedForm(TransferRefundSentForm):
    amount = forms.DecimalField(
        label=_("Amount received (¥)"),
        min_value=Decimal("0.01"),
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
    )


class AcceptanceForm(PhotoFields, forms.Form):
    """How much of each line is accepted (all of it unless changed), the reason
    for what is refused, and up to three photos of it."""

    reason = forms.CharField(
        label=_("Why is part refused?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you accept less than was delivered."),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(title)s: accepted of %(quantity)s %(unit)s")
                % {
                    "title": line.title,
                    "quantity": line.quantity,
                    "unit": dict(ProductUnit.choices).get(line.unit, line.unit),
                },
                min_value=0,
                max_value=line.quantity,
                initial=line.quantity,
            )
        self.order_fields([f"line_{line.pk}" for line in self.lines] + ["reason"])
        self.add_photo_fields(
            MAX_PHOTOS, lambda n: _("Photo %(n)s of what is refused") % {"n": n}
        )

    def decision(self) -> dict:
        """What the service takes: the accepted quantities by line, the reason
        and the photos."""
        data = self.cleaned_data
        return {
            "accepted": {line.pk: data[f"line_{line.pk}"] for line in self.lines},
            "reason": data["reason"],
            "photos": self.photos(),
        }


class InvoiceForm(forms.Form):
    """The seller's invoice: its number, who issued it, and the file."""

    number = forms.CharField(
        label=_("Invoice number"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z-]{4,40}$",
                _("The invoice number has 4 to 40 letters, digits or dashes."),
            )
        ],
        help_text=_("As printed on the invoice (发票号码)."),
    )
    issued_by = forms.CharField(
        label=_("Issued by"),
        max_length=80,
        help_text=_("The farmer, or the cooperative invoicing for them."),
    )
    file = forms.FileField(
        label=_("Invoice (PDF or photo, at most 5 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def clean_file(self):
        return clean_document(self.cleaned_data["file"])


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].choices = [
            (n, _("%(n)s of 5") % {"n": n}) for n in range(5, 0, -1)
        ]
