"""Celery tasks of the catalogue: photo renditions."""

from celery import shared_task

from catalogue.services.renditions import product_image_renditions_make


@shared_task(acks_late=True)
def product_image_renditions(image_id: int) -> list[str]:
    """Make the WebP thumbnail and detail sizes of a product photo. Idempotent:
    a rendition that exists is kept, so a rerun or a duplicate delivery is harmless.
    Returns the renditions it made."""
    return product_image_renditions_make(image_id=image_id)
