"""Forms for onboarding a farmer and for assigning farmers to an assistant, and the
farmer-ids field they and the field-work forms share."""

import re

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User, phone_validator
from common.web import IdConverter
from farmers.models import Farmer


class FarmerChoices(forms.ModelMultipleChoiceField):
    """Farmer ids checked for shape before they reach the database (an id beyond
    64 bits is a form error, not a driver overflow)."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(IdConverter.regex, str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class OnboardFarmerForm(forms.Form):
    """The farmer's part of onboarding; the household is a HouseholdForm beside it."""

    NEW, EXISTING = "new", "existing"

    full_name = forms.CharField(label=_("Farmer's name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use the phone number."),
        validators=[User.username_validator],
    )
    shop_name = forms.CharField(label=_("Shop name"), max_length=60)
    slug = forms.SlugField(
        label=_("Shop address"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens. Leave empty to use the username."),
    )
    household_choice = forms.ChoiceField(
        label=_("Household"),
        choices=[(NEW, _("A new household")), (EXISTING, _("An existing household"))],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    existing_household = forms.ModelChoiceField(
        label=_("Existing household"), queryset=None, required=False
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["existing_household"]
        field.queryset = households
        field.label_from_instance = lambda household: " · ".join(
            filter(
                None,
                [
                    household.head_name,
                    household.village.label,
                    household.registration_number,
                ],
            )
        )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if Farmer.objects.filter(phone=phone).exists():
            raise forms.ValidationError(
                _("A farmer with this phone number is already registered."),
                code="duplicate_phone",
            )
        if User.objects.filter(phone=phone).exists():  # the phone signs in
            raise forms.ValidationError(
                _("This number belongs to another account."), code="phone_taken"
            )
        return phone

    def clean(self):
        data = super().clean()
        if "phone" in data and not data.get("username"):
            data["username"] = data["phone"]
        username = data.get("username")
        if username and User.objects.filter(username__iexact=username).exists():
            self.add_error(
                "username" if self.data.get(self.add_prefix("username")) else "phone",
                forms.ValidationError(
                    _("The username “%(name)s” is taken.") % {"name": username},
                    code="duplicate_username",
                ),
            )
        if username and not data.get("slug"):
            # A Chinese username slugifies to nothing; the phone is ASCII and unique.
            data["slug"] = "shop-" + (slugify(username) or data.get("phone", ""))
        if data.get("slug") and Farmer.objects.filter(slug=data["slug"]).exists():
            self.add_error(
                "slug",
                forms.ValidationError(
                    _("Another shop already uses this address."), code="duplicate_slug"
                ),
            )
        if data.get("household_choice") == self.EXISTING and not data.get(
            "existing_household"
        ):
            self.add_error(
                "existing_household",
                forms.ValidationError(_("Choose the household."), code="required"),
            )
        return data

    @property
    def needs_new_household(self) -> bool:
        return self.data.get(self.add_prefix("household_choice"), self.NEW) == self.NEW


class AssignForm(forms.Form):
    farmers = FarmerChoices(label=_("Farmers"), queryset=None)
    assistant = forms.ModelChoiceField(label=_("Assistant"), queryset=None)

    def __init__(self, *args, farmers, assistants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["farmers"].queryset = farmers
        self.fields["assistant"].queryset = assistants
