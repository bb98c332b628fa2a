"""Signals of the catalogue: `photo_added` (sender ProductImage, `image`), sent
once a new photo's row is committed; catalogue.receivers queues its renditions,
so the photo services never import the tasks that call services."""

from django.dispatch import Signal

photo_added = Signal()
