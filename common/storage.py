"""Storage for files that must never be reachable by URL (household registers):
kept under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no public URL."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL")


private_storage = PrivateStorage()
