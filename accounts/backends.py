"""Sign-in by a code sent to a verified phone (accounts.phone_codes), as an
authentication backend: Django's authenticate() sends a failed code to
django-axes like a wrong password (the phone stands as the username), so the
number and address are locked out alike."""

from django.contrib.auth.backends import ModelBackend

from accounts.models import PhoneCode
from accounts.phone_codes import phone_code_use


class PhoneCodeBackend(ModelBackend):
    def authenticate(self, request, username=None, code=None, **kwargs):
        if username is None or code is None:
            return None
        user = phone_code_use(
            phone=username, purpose=PhoneCode.Purpose.SIGN_IN, code=code
        )
        # The code's account must still have this phone, verified.
        if user is None or not (user.phone == username and user.phone_verified):
            return None
        return user if self.user_can_authenticate(user) else None
