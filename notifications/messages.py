"""What each kind of notification says, rendered when shown (in the reader's
language) or e-mailed (in the site's language, LANGUAGE_CODE).

Notifications know no other app: the app that owns a kind registers its renderer
here (`register`, from its AppConfig.ready()), and `render` looks it up. The
orders app renders the order kinds, fieldwork the farmer needing help."""

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
_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    """Make `renderer` the one that says what notifications of `kind` say."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")
    _renderers[kind] = renderer


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
