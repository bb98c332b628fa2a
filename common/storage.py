"""Storage for files that must never be reachable by URL (household registers,
invoices): kept under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no public URL;
and files saved with rows that are removed again when the rows are not."""

import os
from contextlib import contextmanager

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


@contextmanager
def files_undone_on_error():
    """Files saved in a block that writes them with its rows: call the yielded
    function with each FieldFile once saved, and the block raising (its
    transaction rolled back, so no row names them) deletes them again.

        with files_undone_on_error() as saved, transaction.atomic():
            row.file.save(name, content); saved(row.file)
    """
    files = []
    try:
        yield files.append
    except BaseException:
        for file in files:
            file.storage.delete(file.name)
        raise
