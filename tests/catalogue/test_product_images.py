"""Product photos: only real JPEG/PNG/WebP within the limits, EXIF gone, at most a
few per listing, ordered, and WebP renditions made after commit (idempotently)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import ProductImage
from catalogue.services.photos import (
    MAX_IMAGES,
    product_image_add,
    product_images_reorder,
)
from catalogue.tasks import product_image_renditions
from tests.factories import ProductFactory, listing_changes

pytestmark = pytest.mark.django_db


def photo(fmt="JPEG", size=(1600, 1200), name=None, exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 160, 40))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"
        data[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS
        kwargs["exif"] = data
    out = io.BytesIO()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name or f"honey.{fmt.lower()}", out.getvalue())


def png_bomb(width=8000, height=8000) -> SimpleUploadedFile:
    """A tiny PNG that claims 64 megapixels (a decompression bomb)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 10)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
    return SimpleUploadedFile("bomb.png", png + chunk(b"IEND", b""))


def test_a_photo_is_stored_without_exif_and_renditions_follow(
    django_capture_on_commit_callbacks,
):
    product = ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        image = product_image_add(
            product=product, upload=photo(), changed_by=product.created_by
        )
    image.refresh_from_db()
    with Image.open(image.image.path) as stored:
        assert not stored.getexif()
    with (
        Image.open(image.thumbnail.path) as thumb,
        Image.open(image.detail.path) as big,
    ):
        assert (thumb.format, big.format) == ("WEBP", "WEBP")
        assert max(thumb.size) == 320 and max(big.size) == 1080
    assert image.thumbnail_url.endswith(".webp")


def test_pages_fall_back_to_the_original_until_renditions_exist():
    product = ProductFactory()
    image = product_image_add(
        product=product, upload=photo(), changed_by=product.created_by
    )  # no commit: no task
    assert not image.thumbnail
    assert image.thumbnail_url == image.image.url == image.detail_url


def test_renditions_task_is_idempotent():
    product = ProductFactory()
    image = product_image_add(
        product=product, upload=photo(), changed_by=product.created_by
    )
    assert product_image_renditions(image.pk) == ["thumbnail", "detail"]
    image.refresh_from_db()
    names = (image.thumbnail.name, image.detail.name)
    assert product_image_renditions(image.pk) == []
    image.refresh_from_db()
    assert (image.thumbnail.name, image.detail.name) == names
    assert product_image_renditions(10**9) == []  # a deleted photo is not an error


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (
            SimpleUploadedFile("honey.jpg", b"<html><script>alert(1)</script></html>"),
            "invalid",
        ),
        (SimpleUploadedFile("honey.jpg", photo().read()[:400]), "invalid"),
        (photo(fmt="GIF", exif=False), "format"),
        (photo(fmt="BMP", exif=False, size=(40, 40)), "format"),
        (png_bomb(), "too_many_pixels"),
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024)),
            "too_large",
        ),
    ],
    ids=[
        "html-as-jpg",
        "truncated-jpeg",
        "gif",
        "bmp",
        "decompression-bomb",
        "over-5-mb",
    ],
)
def test_fake_and_oversized_images_are_refused(upload, code):
    product = ProductFactory()
    with pytest.raises(ValidationError) as error:
        product_image_add(product=product, upload=upload, changed_by=product.created_by)
    assert error.value.code == code
    assert not ProductImage.objects.exists()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_three_accepted_formats(fmt):
    image = product_image_add(
        product=(product := ProductFactory()),
        upload=photo(fmt=fmt, size=(64, 48)),
        changed_by=product.created_by,
    )
    with Image.open(image.image.path) as stored:
        assert stored.format == fmt


def test_photo_count_limit_and_reordering():
    product = ProductFactory()
    images = [
        product_image_add(
            product=product,
            upload=photo(size=(20, 20), exif=False),
            changed_by=product.created_by,
        )
        for _ in range(MAX_IMAGES)
    ]
    with pytest.raises(ValidationError):
        product_image_add(
            product=product,
            upload=photo(size=(20, 20), exif=False),
            changed_by=product.created_by,
        )
    order = [image.pk for image in reversed(images)]
    product_images_reorder(
        product=product, image_ids=order, changed_by=product.created_by
    )
    assert list(product.images.values_list("pk", flat=True)) == order
    with pytest.raises(ValidationError):
        product_images_reorder(
            product=product, image_ids=order[:-1], changed_by=product.created_by
        )


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_exif_is_stripped_from_png_and_webp_too(fmt):
    product = ProductFactory()
    image = product_image_add(
        product=product,
        upload=photo(fmt=fmt, size=(64, 48)),
        changed_by=product.created_by,
    )
    with Image.open(image.image.path) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_a_photo_change_sends_a_live_listing_back_to_review_and_is_recorded():
    product = ProductFactory(status="active")
    product_image_add(
        product=product, upload=photo(size=(20, 20)), changed_by=product.created_by
    )
    product.refresh_from_db()
    assert product.status == "pending"
    assert listing_changes(product) == [("photos", None, "added", product.created_by)]


def test_an_archived_listing_takes_no_photos():
    product = ProductFactory(status="archived")
    with pytest.raises(ValidationError) as error:
        product_image_add(
            product=product, upload=photo(size=(20, 20)), changed_by=product.created_by
        )
    assert error.value.code == "archived"
    assert not ProductImage.objects.exists()


def test_deleting_a_photo_keeps_files_another_listing_still_uses(
    django_capture_on_commit_callbacks,
):
    from catalogue.services.photos import product_image_delete

    first, second = ProductFactory(), ProductFactory()
    shared = product_image_add(
        product=first, upload=photo(size=(20, 20)), changed_by=first.created_by
    )
    ProductImage.objects.create(product=second, image=shared.image.name)
    with django_capture_on_commit_callbacks(execute=True):
        product_image_delete(
            product=first, image_id=shared.pk, changed_by=first.created_by
        )
    assert second.images.get().image.storage.exists(shared.image.name)
