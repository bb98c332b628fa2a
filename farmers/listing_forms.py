"""Forms for listings: the listing itself, the inline price-and-stock edit, a photo,
and an assistant's rejection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from farmers.listings import LISTING_FIELDS
from farmers.models import Product


class StockSeen(forms.ModelForm):
    """Carries the stock the form showed, so saving it does not undo the sales
    made meanwhile (farmers.listings._stock_as_seen)."""

    stock_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stock_seen"].initial = self.instance.stock


class ListingForm(StockSeen):
    """The listing's fields; the model's validators give the messages (price above
    zero and at most ¥1,000,000, stock not negative, title at most 80 characters)."""

    farmer = forms.ModelChoiceField(label=_("Farmer"), queryset=None, required=False)

    class Meta:
        model = Product
        fields = list(LISTING_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            "stock": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "net_weight_kg": forms.NumberInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, *args, farmers=None, **kwargs):
        """`farmers`: for an assistant creating a listing, whom it may be for."""
        super().__init__(*args, **kwargs)
        if farmers is None:
            del self.fields["farmer"]
        else:
            self.fields["farmer"].queryset = farmers
            self.fields["farmer"].required = True
            self.order_fields(["farmer"])

    def listing_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class QuickEditForm(StockSeen):
    class Meta:
        model = Product
        fields = ["price", "stock"]
        widgets = {
            "price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            "stock": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Add a photo"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/webp",
                "capture": "environment",
            }
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
