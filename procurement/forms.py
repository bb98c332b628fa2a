"""Forms of work units: registering one (staff), an invitation, a year's
budget. NUL bytes and lengths are refused by Django's fields."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.money import MONEY
from common.years import FIRST_YEAR, LAST_YEAR
from counties.models import County
from procurement.models import UnitKind, UnitRole


class UnitRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=UnitKind.choices)
    county = forms.ModelChoiceField(
        label=_("Region (county)"), queryset=County.objects.order_by("province", "name")
    )


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
