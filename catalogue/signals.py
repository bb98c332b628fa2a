"""Signals of the catalogue: `photo_added` (sender ProductImage, `image`), sent
inside the transaction that added the photo; catalogue.receivers queues its
renditions for after the commit, so the photo services never import the tasks
that call services."""

from django.dispatch import Signal

photo_added = Signal()
