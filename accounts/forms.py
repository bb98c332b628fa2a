"""Sign-up form: refuses duplicate or invalid names and e-mails, and weak passwords;
the phone and code forms of signing in by code and verifying a phone."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User, phone_validator


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The username “%(name)s” is taken. Please choose another."),
                code="duplicate_username",
                params={"name": username},
            )
        return username

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail already exists. Try signing in."),
                code="duplicate_email",
            )
        return email


class PhoneForm(forms.Form):
    """A mobile number, to send a code to."""

    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "tel", "maxlength": 11}
        ),
    )


class PhoneCodeForm(PhoneForm):
    """A mobile number and the 6-digit code sent to it (empty while asking for
    the code: the page's view requires it to check one)."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\d{6}\Z",
        required=False,
        error_messages={"invalid": _("The code is 6 digits.")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": 6,
            }
        ),
    )
