"""Signal receivers of the catalogue (wired in catalogue.apps): a new catalogue
version whenever something the public pages show is saved or deleted, and a new
photo's renditions queued."""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

from accounts.models import Role
from catalogue.selectors import VERSION_KEY
from catalogue.tasks import product_image_renditions


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, None)


def catalogue_changed(**_signal) -> None:
    """A new catalogue version now, and another once the change is committed: a
    reader between the two could have cached the old rows under the first."""
    _new_version()
    transaction.on_commit(_new_version)


def farmer_account_changed(instance, update_fields=None, **_signal) -> None:
    """A farmer's account saved (not a sign-in's last_login alone): deactivating
    it hides their products."""
    if instance.role == Role.FARMER and update_fields != frozenset({"last_login"}):
        catalogue_changed()


def photo_added(image, **_signal) -> None:
    """Make the new photo's renditions once its transaction commits (a worker, or
    in-process). Queued as every task of the platform is after a commit: a broker
    outage is logged, never the upload's error (config.celery.PlatformTask)."""
    product_image_renditions.delay_on_commit(image.pk)
