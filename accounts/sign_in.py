"""The rule every sign-in path shares (the sign-in page, the admin's and
/api/token/): a username longer than any account's is refused by the form before
anything is authenticated, with a clear message, so django-axes never records it.
Behind that, `axes_username` clips what django-axes stores to its column, so a
sign-in from anywhere else cannot fail on the database either."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from accounts.models import User, phone_validator

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length
AXES_USERNAME_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length

username_length = MaxLengthValidator(
    USERNAME_MAX_LENGTH,
    message=_(
        "A username has at most %(limit_value)d characters (this one has "
        "%(show_value)d)."
    ),
)


class _UsernameLength:
    """Adds the length rule to the username field of Django's sign-in forms, whose
    max_length is set after the field is built and so is never checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(username_length)


class SignInForm(_UsernameLength, AuthenticationForm):
    """The sign-in page's form (accounts/urls.py)."""


class AdminSignInForm(_UsernameLength, AdminAuthenticationForm):
    """The admin's sign-in form (admin.site.login_form, set in accounts/admin.py)."""


class TokenRequestSerializer(AuthTokenSerializer):
    """/api/token/'s request: a username and password, or a verified phone and
    the code sent to it (/api/token/code/). An over-long username is a 400 on
    `username`."""

    username = serializers.CharField(
        label=_("Username"),
        write_only=True,
        required=False,
        validators=[username_length],
    )
    password = serializers.CharField(
        label=_("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        required=False,
    )
    phone = serializers.CharField(
        label=_("Mobile phone"),
        write_only=True,
        required=False,
        validators=[phone_validator],
    )
    code = serializers.RegexField(
        r"^\d{6}\Z",
        label=_("Code"),
        write_only=True,
        required=False,
        error_messages={"invalid": _("The code is 6 digits.")},
    )

    def validate(self, attrs):
        if not (attrs.get("phone") and attrs.get("code")):
            if attrs.get("phone") or attrs.get("code"):
                raise serializers.ValidationError(
                    _("Send both the phone and the code."), code="authorization"
                )
            return super().validate(attrs)
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["phone"],
            code=attrs["code"],
        )
        if user is None:
            raise serializers.ValidationError(
                _("The code is wrong or has expired. Ask for a new one."),
                code="authorization",
            )
        attrs["user"] = user
        return attrs


class PhoneCodeRequestSerializer(serializers.Serializer):
    """/api/token/code/'s request: the verified phone to send a sign-in code to."""

    phone = serializers.CharField(
        label=_("Mobile phone"), write_only=True, validators=[phone_validator]
    )


def axes_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the username django-axes reads (from the credentials,
    else the posted form), clipped to the length of its column."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    elif request is not None:
        username = getattr(request, "data", request.POST).get(field)
    else:
        username = None
    if username is None:
        return None
    return str(username)[:AXES_USERNAME_MAX_LENGTH]
