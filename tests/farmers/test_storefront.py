"""The farmer's storefront settings: their own profile only, photos cleaned of EXIF,
bad images refused with a message."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from tests.factories import FarmerFactory

pytestmark = pytest.mark.django_db
URL = "/farmer/storefront/"


def photo(fmt="JPEG", size=(64, 48), exif=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, "green")
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(f"cover.{fmt.lower()}", out.getvalue())


def form(farmer, **changes):
    data = {
        "shop_name": farmer.shop_name,
        "slug": farmer.slug,
        "story": "",
        "phone": farmer.phone,
    }
    data.update(changes)
    return data


def test_farmer_edits_their_storefront_and_the_photo_loses_its_exif(client):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    response = client.post(
        URL, form(farmer, story="高山云雾茶，手工炒制。", cover_photo=photo())
    )
    assert response.status_code == 302
    farmer.refresh_from_db()
    assert farmer.story == "高山云雾茶，手工炒制。"
    with Image.open(farmer.cover_photo.path) as saved:
        assert saved.format == "JPEG"
        assert not saved.getexif()


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (SimpleUploadedFile("cover.jpg", b"not an image"), "cover_photo"),
        (photo(fmt="GIF", exif=False), "cover_photo"),
    ],
)
def test_bad_photos_are_refused_and_nothing_changes(client, upload, field):
    farmer = FarmerFactory(story="before")
    client.force_login(farmer.user)
    response = client.post(URL, form(farmer, story="after", cover_photo=upload))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    farmer.refresh_from_db()
    assert farmer.story == "before"
    assert not farmer.cover_photo


def test_an_oversized_photo_is_refused(client):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    huge = SimpleUploadedFile("cover.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024))
    response = client.post(URL, form(farmer, cover_photo=huge))
    assert "cover_photo" in response.context["form"].errors


def test_shop_address_must_stay_unique(client):
    taken = FarmerFactory(slug="honey")
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    response = client.post(URL, form(farmer, slug=taken.slug))
    assert "slug" in response.context["form"].errors
    farmer.refresh_from_db()
    assert farmer.slug != "honey"


def test_the_page_is_only_the_farmers_own(client, make_user):
    client.force_login(make_user(role=Role.FARMER))  # no profile yet
    assert client.get(URL).status_code == 404
    client.force_login(make_user(role=Role.ASSISTANT))
    assert client.get(URL).status_code == 403


def test_clearing_the_cover_photo(client):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    client.post(URL, form(farmer, cover_photo=photo()))
    farmer.refresh_from_db()
    assert farmer.cover_photo
    response = client.post(URL, form(farmer, **{"cover_photo-clear": "on"}))
    assert response.status_code == 302
    farmer.refresh_from_db()
    assert not farmer.cover_photo


def test_a_replaced_cover_photo_is_deleted(client, django_capture_on_commit_callbacks):
    farmer = FarmerFactory()
    client.force_login(farmer.user)
    client.post(URL, form(farmer, cover_photo=photo()))
    farmer.refresh_from_db()
    old = farmer.cover_photo.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form(farmer, cover_photo=photo(fmt="PNG")))
    farmer.refresh_from_db()
    assert farmer.cover_photo.name.endswith(".png")
    assert not os.path.exists(old)
