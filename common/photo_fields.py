"""Up to a few photos on a form (a refusal, an after-sales request, a review):
one optional file field each, every photo validated and re-encoded by
common.images.clean_photo, and the photos sent handed to the service."""

from django import forms

from common.images import clean_photo

ACCEPT = "image/jpeg,image/png,image/webp"


class PhotoFields:
    """A form mixin: call `add_photo_fields(count, label)` in __init__ (label a
    function of the photo's number), then `photos()` once the form is valid."""

    def add_photo_fields(self, count: int, label) -> None:
        self.photo_names = [f"photo_{n}" for n in range(1, count + 1)]
        for n, name in enumerate(self.photo_names, start=1):
            self.fields[name] = forms.FileField(
                label=label(n),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ACCEPT, "data-shrink": ""}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for name in self.photo_names:
            photo = cleaned.get(name)
            if photo:
                try:
                    cleaned[name] = clean_photo(photo)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def photos(self) -> list:
        return [
            self.cleaned_data[name]
            for name in self.photo_names
            if self.cleaned_data.get(name)
        ]
