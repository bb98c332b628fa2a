"""The review pages' forms: a review (stars, a comment, up to three photos),
the farmer's reply, and the reason for hiding one. They validate the fields;
reviews.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.images import clean_photo
from reviews.models import MAX_PHOTOS

STARS = [(n, "★" * n) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_PHOTOS + 1):
            self.fields[f"photo_{n}"] = forms.FileField(
                label=_("Photo %(n)s (optional)") % {"n": n},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/jpeg,image/png,image/webp"}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for n in range(1, MAX_PHOTOS + 1):
            photo = cleaned.get(f"photo_{n}")
            if photo:
                try:
                    cleaned[f"photo_{n}"] = clean_photo(photo)
                except forms.ValidationError as error:
                    self.add_error(f"photo_{n}", error)
        return cleaned

    def review(self) -> dict:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "comment": data["comment"],
            "photos": [
                data[f"photo_{n}"]
                for n in range(1, MAX_PHOTOS + 1)
                if data.get(f"photo_{n}")
            ],
        }


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), max_length=300)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why hide it"), max_length=200)
