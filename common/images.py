"""Photo uploads: only real JPEG/PNG/WebP images within size limits, re-encoded so
that EXIF (farmers' phone photos carry GPS) never reaches the server's disk."""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 30_000_000
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS


def clean_photo(upload) -> ContentFile:
    """Validate an uploaded photo and return it re-encoded without metadata."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than 5 MB. Please choose a smaller one."),
            code="too_large",
        )
    try:
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Please upload a JPEG, PNG or WebP photo."), code="format"
                )
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise Image.DecompressionBombError
            image_format = image.format
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop EXIF
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = BytesIO()
            image.save(out, format=image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The photo has too many pixels (at most 30 megapixels)."),
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a photo we can read."), code="invalid"
        ) from exc
    name = f"{Path(upload.name).stem[:40] or 'photo'}.{ACCEPTED_FORMATS[image_format]}"
    return ContentFile(out.getvalue(), name=name)
