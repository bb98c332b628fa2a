"""Forms of the catalogue: a listing, the inline price-and-stock edit, a photo, an
assistant's rejection, and the public catalogue's filters."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import MAX_PRICE, Category, Product
from catalogue.selectors import counties_with_products, version_cached
from catalogue.services.listings import LISTING_FIELDS


class StockSeen(forms.ModelForm):
    """Carries the stock the form showed, so saving it does not undo the sales
    made meanwhile (catalogue.services.stock.stock_as_seen)."""

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
                # Shrunk on the phone before sending (static/js/photo-shrink.js).
                "data-shrink": "",
            }
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CatalogueForm(forms.Form):
    """The catalogue's GET parameters. Every field is optional; a bad value is
    reported next to its field and that filter alone is ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"enterkeyhint": "search"}),
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    category = forms.ChoiceField(label=_("category"), required=False)
    min_price = forms.DecimalField(
        label=_("Minimum price (¥)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_PRICE,
        max_digits=12,
        decimal_places=2,
    )
    max_price = forms.DecimalField(
        label=_("Maximum price (¥)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_PRICE,
        max_digits=12,
        decimal_places=2,
    )
    poverty = forms.BooleanField(
        label=_("Poverty-alleviation products only"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("new", _("Newest")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("best", _("Best-selling")),
            ("rated", _("Best rated")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices are checked in Python, so an odd value never reaches the database.
        everything = [("", _("All"))]
        self.fields["county"].choices = everything + version_cached(
            "counties",
            lambda: [(c.code, c.label) for c in counties_with_products()],
        )
        self.fields["category"].choices = everything + version_cached(
            "categories",
            lambda: [(c.slug, c.name) for c in Category.objects.all()],
        )
        for name in ("min_price", "max_price"):
            self.fields[name].widget.attrs.update(inputmode="decimal", step="any")

    def filtered(self) -> dict:
        """The valid, non-empty filters (bad ones dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            key: value
            for key, value in data.items()
            if value is not False and value not in ("", None)
        }

    def heading(self) -> str:
        """What the page lists, in the reader's language: the category, the
        county's products, or both, from the (valid) filters; "All products"
        otherwise. Names come from the choices, cached per language."""
        filters = self.filtered()
        category = dict(self.fields["category"].choices).get(filters.get("category"))
        county = dict(self.fields["county"].choices).get(filters.get("county"))
        if category and county:
            return _("%(category)s from %(county)s") % {
                "category": category,
                "county": county,
            }
        if category:
            return str(category)
        if county:
            return _("Products from %(county)s") % {"county": county}
        return str(_("All products"))
