"""Forms for household files, the storefront, leaving the register and the register
import. HouseholdForm is the one validation of a household: pages and import rows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.images import clean_photo
from common.widgets import DateInput
from counties.models import Village
from farmers.models import Farmer, Household, PovertyCause, RegisterStatus

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class HouseholdForm(forms.ModelForm):
    status = forms.ChoiceField(
        label=_("Register status"),
        choices=[
            (RegisterStatus.REGISTERED, RegisterStatus.REGISTERED.label),
            (RegisterStatus.NEVER_REGISTERED, RegisterStatus.NEVER_REGISTERED.label),
        ],
        initial=RegisterStatus.NEVER_REGISTERED,
    )
    poverty_causes = forms.MultipleChoiceField(
        label=_("Poverty causes"),
        choices=PovertyCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Household
        fields = list(Household.FILE_FIELDS)
        widgets = {"support_measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "village" in self.fields:
            self.fields["village"].queryset = (
                villages if villages is not None else Village.objects.none()
            ).select_related("county")
        self.fields["members"].widget.attrs.update(inputmode="numeric")

    def clean(self):
        data = super().clean()
        if data.get("status") == RegisterStatus.REGISTERED:
            for field in ("registration_number", "registration_year"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(
                        field,
                        forms.ValidationError(
                            _("A registered household needs this."), code="required"
                        ),
                    )
        elif data.get("status") == RegisterStatus.NEVER_REGISTERED:
            data["registration_number"] = ""
            data["registration_year"] = None
        return data


class StorefrontForm(forms.ModelForm):
    class Meta:
        model = Farmer
        fields = ["shop_name", "slug", "story", "phone", "cover_photo"]
        # A plain file: common.images.clean_photo decides what is a photo, with
        # the same messages as listing photos (too large, too many pixels, format).
        field_classes = {"cover_photo": forms.FileField}
        widgets = {
            "story": forms.Textarea(attrs={"rows": 5}),
            "cover_photo": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp"}
            ),
        }

    def clean_cover_photo(self):
        photo = self.cleaned_data.get("cover_photo")
        if photo and photo != self.initial.get("cover_photo"):
            return clean_photo(photo)
        return photo


class RegisterExitForm(forms.Form):
    exited_on = forms.DateField(label=_("Exit date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split the register into parts."),
                code="too_large",
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file."), code="extension"
            )
        return upload
