"""What each kind of notification says, rendered when shown (in the reader's
language) or e-mailed (in the site's language, LANGUAGE_CODE).

Notifications know no other app: the app that owns a kind registers its renderer
here (`register`, from its AppConfig.ready()), and `render` looks it up. The
orders app renders the order kinds, fieldwork the farmer needing help. A kind
sent by text message (notifications.channels.SMS_PURPOSE) also registers what
fills its template: parameters only, never free text (`sms_params`)."""

from collections.abc import Callable
from dataclasses import dataclass

from notifications.models import Notification


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    url: str


# A renderer gives a notification's text and the link it leads to ("" for none);
# the title is the kind's label.
Renderer = Callable[[Notification], tuple[str, str]]
# A text message's parameters, or None when this one has no text message.
SmsParams = Callable[[Notification], dict | None]
_renderers: dict[str, Renderer] = {}
_sms_params: dict[str, SmsParams] = {}


def register(kind: str, renderer: Renderer, sms: SmsParams | None = None) -> None:
    """Make `renderer` the one that says what notifications of `kind` say, and
    `sms` the one that fills its text message's template."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    _renderers[kind] = renderer
    if sms is not None:
        _sms_params[kind] = sms


def sms_params(notification: Notification) -> dict | None:
    """The parameters of the notification's text message, or None for none."""
    params = _sms_params.get(notification.kind)
    return None if params is None else params(notification)


def render(notification: Notification) -> Message:
    try:
        renderer = _renderers[notification.kind]
    except KeyError:
        raise LookupError(
            f"No renderer is registered for notifications of kind "
            f"{notification.kind!r} (its app's AppConfig.ready() registers one)."
        ) from None
    text, url = renderer(notification)
    return Message(title=str(notification.get_kind_display()), text=text, url=url)
