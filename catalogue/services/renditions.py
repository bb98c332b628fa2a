"""Writes the WebP renditions of a product photo (catalogue.tasks runs it after the
upload commits)."""

import logging
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from catalogue.models import ProductImage

logger = logging.getLogger(__name__)
RENDITIONS = {"thumbnail": 320, "detail": 1080}  # longest side, in pixels


def product_image_renditions_make(*, image_id: int) -> list[str]:
    """Make the WebP thumbnail and detail sizes of a product photo. Idempotent:
    a rendition that exists is kept, so a rerun or a duplicate delivery is harmless.
    Returns the renditions it made."""
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:  # deleted before the worker got to it
        return []
    made = {}
    for field, size in RENDITIONS.items():
        if getattr(image, field):
            continue
        try:
            with image.image.open("rb") as source, Image.open(source) as original:
                picture = ImageOps.exif_transpose(original)
                picture.thumbnail((size, size))
                if picture.mode not in ("RGB", "RGBA"):
                    picture = picture.convert("RGB")
                out = BytesIO()
                picture.save(out, format="WEBP", quality=80, method=4)
        except (OSError, ValueError) as exc:
            # Pages keep showing the original; a failed rendition must not fail the
            # upload that queued it (in-process mode runs this inside the request).
            logger.warning("no %s rendition for photo %s: %s", field, image_id, exc)
            continue
        stored = getattr(image, field)
        stored.save(
            f"{Path(image.image.name).stem}-{field}.webp",
            ContentFile(out.getvalue()),
            save=False,
        )
        made[field] = stored.name
    if made and not ProductImage.objects.filter(pk=image_id).update(**made):
        for name in made.values():  # the photo was deleted meanwhile
            image.image.storage.delete(name)
        return []
    return list(made)
