"""The review pages' forms: a review (stars, a comment, up to three photos),
the farmer's reply, and the reason for hiding one. They validate the fields;
reviews.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.photo_fields import PhotoFields
from reviews.models import MAX_PHOTOS

STARS = [(n, "★" * n) for n in range(5, 0, -1)]


class ReviewForm(PhotoFields, forms.Form):
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
        self.add_photo_fields(
            MAX_PHOTOS, lambda n: _("Photo %(n)s (optional)") % {"n": n}
        )

    def review(self) -> dict:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "comment": data["comment"],
            "photos": self.photos(),
        }


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), max_length=300)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why hide it"), max_length=200)
