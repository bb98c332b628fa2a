"""In a real browser on a 390×844 phone screen, a listing goes from the farmer to
a buyer: the farmer lists a jar of honey, adds a photo and submits it for review;
their assistant finds it in the review queue and approves it; an anonymous buyer
then finds it by searching the catalogue and on its county's page, opens the
product page (with the photo) and follows the link to the farmer's storefront,
which lists it.

Elements are found by ids, names and hrefs, not by visible text, so the journey
does not depend on the page's language. Screenshots are saved under
tests/e2e/artifacts/ as catalogue_journey_*.png."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from catalogue.models import Product, ProductStatus
from tests.e2e.conftest import sign_in
from tests.e2e.conftest import sign_out as sign_out_from_header
from tests.factories import AssistantFactory, CategoryFactory, CountyFactory, farmer_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).parent / "artifacts"
COUNTY_CODE = "529901"
SHOP_SLUG = "cloud-mist-apiary"
TITLE = "Cloud Mist Honey 云雾蜂蜜"
SEARCH_WORD = "云雾"


@pytest.fixture
def phone(browser):
    """A 390×844 page (a common phone size) with a Chinese locale."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1
    )
    yield context.new_page()
    context.close()


def snapshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"catalogue_journey_{name}.png", full_page=True)


def sign_out(page, url):
    sign_out_from_header(page)
    page.wait_for_url(f"{url}/")
    assert page.locator('form[action="/accounts/logout/"]').count() == 0


def image_loaded(image) -> bool:
    """The <img> could be fetched and decoded: not a broken image. (Scrolled into
    view first, as the pages' images load lazily.)"""
    image.scroll_into_view_if_needed()
    return image.evaluate(
        "img => img.decode().then(() => img.naturalWidth > 0, () => false)"
    )


def small_jpeg(folder: Path) -> Path:
    path = folder / "honey.jpg"
    Image.new("RGB", (200, 150), (230, 170, 40)).save(path, format="JPEG")
    return path


def test_a_listing_goes_from_farmer_to_buyer(live_server, phone, tmp_path):
    url, page = live_server.url, phone

    # 1. A county with a village, an assistant working there, and a registered
    # household's farmer (farm verified) assigned to them; the honey category.
    county = CountyFactory(code=COUNTY_CODE, name="Cloud Mist County")
    assistant = AssistantFactory(county=county, user__username="assistant-wang")
    farmer = farmer_of(
        assistant,
        user__username="farmer-zhang",
        household__registered=True,
        shop_name="Zhang's Cloud Mist Apiary",
        slug=SHOP_SLUG,
        verified_at=timezone.now(),
        verified_by=assistant.user,
    )
    honey = CategoryFactory(slug="honey")

    # 2. The farmer lists the honey as a draft, adds a photo and submits it.
    sign_in(page, url, "farmer-zhang", lands_on="/farmer/")
    page.goto(f"{url}/listings/new/")
    page.select_option("#id_category", value=str(honey.pk))
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "Wild-flower honey from the terraces, 500 g jars.")
    page.select_option("#id_unit", value="bottle")
    page.fill("#id_net_weight_kg", "0.5")
    page.fill("#id_price", "68")
    page.fill("#id_stock", "20")
    snapshot(page, "0_listing_form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/listings/*/")
    product = Product.objects.get(title=TITLE)
    assert page.url == f"{url}/listings/{product.pk}/"
    assert product.farmer == farmer
    assert product.status == ProductStatus.DRAFT

    photo_form = page.locator(f'main form[action="/listings/{product.pk}/photos/"]')
    photo_form.locator("input[name=photo]").set_input_files(small_jpeg(tmp_path))
    photo_form.locator("button[type=submit]").click()
    # The form redirects back to the same URL, so wait_for_url alone would not wait
    # for the answer: wait for what the new page shows instead.
    page.wait_for_url(f"{url}/listings/{product.pk}/")
    expect(page.locator("main ul.photos img")).to_have_count(1)
    assert product.images.count() == 1

    submit_form = page.locator(f'main form[action="/listings/{product.pk}/submit/"]')
    submit_form.locator("button").click()
    page.wait_for_url(f"{url}/listings/{product.pk}/")
    # A submitted listing offers no "submit" any more.
    expect(submit_form).to_have_count(0)
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING
    snapshot(page, "1_submitted")

    # 3. The assistant finds it in the review queue and approves it.
    sign_out(page, url)
    sign_in(page, url, "assistant-wang", lands_on="/assistant/")
    page.goto(f"{url}/assistant/reviews/")
    assert page.locator(f'main a[href="/listings/{product.pk}/"]').count() == 1
    approve = f'main form[action="/assistant/reviews/{product.pk}/approve/"] button'
    page.locator(approve).click()
    page.wait_for_url(f"{url}/assistant/reviews/")
    # Back on the (same) queue page, which no longer lists it.
    expect(page.locator(f'main a[href="/listings/{product.pk}/"]')).to_have_count(0)
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    snapshot(page, "2_approved")

    # 4. An anonymous buyer finds it by searching and on the county's page.
    sign_out(page, url)
    product_link = f'main a[href="/products/{product.pk}/"]'
    page.goto(f"{url}/products/?{urlencode({'q': SEARCH_WORD})}")
    assert page.locator(product_link).count() == 1
    assert page.locator("main input[name=q]").input_value() == SEARCH_WORD
    card_image = page.locator(f"{product_link} img")
    assert card_image.count() == 1
    assert image_loaded(card_image), card_image.get_attribute("src")
    snapshot(page, "3_search_results")

    page.goto(f"{url}/counties/{COUNTY_CODE}/")
    assert page.locator(product_link).count() == 1
    assert page.locator(f'main a[href="/shop/{SHOP_SLUG}/"]').count() == 1

    # The product page shows the photo and links to the storefront...
    page.locator(product_link).click()
    page.wait_for_url(f"{url}/products/{product.pk}/")
    photo = page.locator("main img")
    assert photo.count() == 1
    assert image_loaded(photo), photo.get_attribute("src")
    snapshot(page, "4_product_page")

    # ...which lists the product.
    page.locator(f'main a[href="/shop/{SHOP_SLUG}/"]').click()
    page.wait_for_url(f"{url}/shop/{SHOP_SLUG}/")
    assert page.locator(product_link).count() == 1
    snapshot(page, "5_storefront")
