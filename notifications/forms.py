"""The message settings form: for each kind the user receives, by e-mail and by
text message, on or off."""

from django import forms

from notifications.channels import AUDIENCE, SMS_PURPOSE, Channels
from notifications.models import Notification


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, current: dict[str, Channels], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = AUDIENCE.get(user.role, [])
        self.rows = []
        labels = dict(Notification.Kind.choices)
        for kind in self.kinds:
            channels = current[kind]
            email = f"email_{kind}"
            self.fields[email] = forms.BooleanField(
                required=False, initial=channels.email, disabled=not user.email
            )
            sms = None
            if kind in SMS_PURPOSE:
                sms = f"sms_{kind}"
                self.fields[sms] = forms.BooleanField(
                    required=False,
                    initial=channels.sms,
                    disabled=not user.phone_verified,
                )
            self.rows.append((labels[kind], self[email], self[sms] if sms else None))

    def choices(self) -> dict[str, tuple[bool | None, bool | None]]:
        """(e-mail, SMS) for each kind: None for a channel not offered (disabled,
        or no text message for the kind), which keeps its default."""

        def chosen(name):
            field = self.fields.get(name)
            if field is None or field.disabled:
                return None
            return self.cleaned_data[name]

        return {
            kind: (chosen(f"email_{kind}"), chosen(f"sms_{kind}"))
            for kind in self.kinds
        }
