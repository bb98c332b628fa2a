"""Field work with no connection, and a photo over a slow one, on a 390×844
phone in Chromium:

1. an assistant opens the field-work page (the service worker keeps it), the
   connection drops, and they record a visit, a survey, and a survey for a
   household whose survey of that year the server already has (corrected
   there); all three wait on the phone;
2. the connection returns while the server cannot be reached; the assistant
   signs out and another assistant signs in on the same phone, and the records
   go: each arrives once, credited to the assistant who made them, and the
   conflicting one comes back with its reason, shown on the phone;
3. a farmer adds a 4 MB photo to a listing over an emulated slow 3G
   connection: what is sent is under 400 KB, and the stored photo is at most
   1600 px.

Screenshots: tests/e2e/artifacts/offline_*.png (zh-hans and en)."""

import io
import os
import re
from decimal import Decimal

import pytest
from django.core.signals import request_started
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductImage, ProductStatus
from fieldwork.models import IncomeSurvey, SyncRefusal, Visit
from fieldwork.services import survey_correct, survey_record
from tests.e2e.conftest import phone_snapshot, sign_in, sign_out
from tests.e2e.test_money_pages import check_language, in_chinese, in_english
from tests.factories import (
    AssistantFactory,
    FarmerFactory,
    ProductFactory,
    UserFactory,
    farmer_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year - 1
HEADING = {"zh-hans": "现场记录", "en": "Record in the field"}


def waiting(page) -> str:
    return page.locator('#sync-status [data-sync="waiting"]').inner_text()


def kept_for_offline(page) -> None:
    """Wait until the service worker controls the page and has kept it (the
    page that registered it is controlled from its next load)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        """() => caches.open("gplatform-fieldwork-v1")
              .then(c => c.match("/assistant/offline/")).then(Boolean)""",
        polling=200,
    )


def open_offline(page, address: str) -> None:
    """Open a page with no connection. Chromium applies the offline emulation
    to the service worker a moment after the page, and a navigation in that
    moment fails as on a flaky connection (about one run in three); the next
    is answered from the worker's copy."""
    for attempt in range(3):
        try:
            page.goto(address)
            return
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(300)


def test_records_made_offline_arrive_once_credited_to_their_assistant(
    live_server, new_phone
):
    url = live_server.url
    zhou = AssistantFactory(user__username="assistant-zhou", user__first_name="周敏")
    wu = AssistantFactory(
        user__username="assistant-wu", user__first_name="吴强", county=zhou.county
    )
    visited = farmer_of(zhou, shop_name="秀英蜂蜜", user__first_name="王秀英")
    surveyed = farmer_of(zhou, shop_name="大山茶园", user__first_name="李大山")
    known = farmer_of(zhou, shop_name="山花果园", user__first_name="张山花")
    on_server = survey_record(
        household=known.household, year=YEAR, recorded_by=zhou.user, members=3
    )
    survey_correct(survey=on_server, changed_by=zhou.user, members=4, wages=5000)

    page = new_phone()
    context = page.context
    # The phone knows where it is, with no connection too.
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 30.283456, "longitude": 109.487654})
    sign_in(page, url, "assistant-zhou", "/assistant/")
    page.goto(f"{url}/assistant/offline/")
    kept_for_offline(page)

    context.set_offline(True)
    open_offline(page, f"{url}/assistant/offline/")  # from the phone's copy
    expect(page.locator('#sync-status [data-sync="offline"]')).to_be_visible()

    visit = page.locator("#offline-visit")
    visit.locator('select[name="farmer"]').select_option(str(visited.pk))
    visit.locator('select[name="purpose"]').select_option("problem")
    visit.locator('textarea[name="challenges"]').fill("蜂箱受潮")
    visit.locator('input[name="with_position"]').check()
    chooser = visit.locator('input[name="photo_1"]')
    chooser.set_input_files(
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": small_photo()}
    )
    expect(chooser).to_have_attribute("data-shrunk", re.compile(r"^\d+$"))
    visit.locator("button[type=submit]").click()
    expect(page.locator('#sync-status [data-sync="waiting"]')).to_have_text("1")
    expect(page.locator('#sync-status [data-sync="saved"]')).to_be_visible()

    page.locator("details:has(#offline-survey) > summary").click()
    survey = page.locator("#offline-survey")
    for farmer, wages in ((surveyed, "18000"), (known, "9000")):
        survey.locator('select[name="farmer"]').select_option(str(farmer.pk))
        survey.locator('input[name="year"]').fill(str(YEAR))
        survey.locator('input[name="members"]').fill("5")
        survey.locator('input[name="wages"]').fill(wages)
        survey.locator("button[type=submit]").click()
    expect(page.locator('#sync-status [data-sync="waiting"]')).to_have_text("3")
    phone_snapshot(page, "offline_saved_zh_hans")
    assert not Visit.objects.exists()

    # Back online, but the server cannot be reached yet: all three still wait.
    context.route(re.compile(r".*/assistant/sync/$"), lambda route: route.abort())
    context.set_offline(False)
    page.goto(f"{url}/assistant/offline/")
    page.wait_for_timeout(500)
    assert waiting(page) == "3"
    assert not Visit.objects.exists() and IncomeSurvey.objects.count() == 1

    # Another assistant signs in on this phone; now the records go.
    sign_out(page)
    # Signed out: the pages kept for 周 are forgotten, the records are not.
    page.wait_for_function("() => caches.has('gplatform-fieldwork-v1').then(k => !k)")
    context.unroute(re.compile(r".*/assistant/sync/$"))
    sign_in(page, url, "assistant-wu", "/assistant/")
    expect(page.locator('#sync-status [data-sync="waiting"]')).to_have_text("0")
    refused = page.locator('#sync-status [data-sync="list"] li')
    expect(refused).to_have_count(1)
    expect(refused.first).to_contain_text(str(YEAR))
    expect(refused.first).to_contain_text("收入调查")

    [made] = Visit.objects.all()
    assert (made.assistant, made.household) == (zhou, visited.household)
    assert made.challenges == "蜂箱受潮" and made.device_recorded_at is not None
    assert (made.latitude, made.longitude) == (
        Decimal("30.283456"),
        Decimal("109.487654"),
    )
    assert made.photo.name.startswith("visits/")
    new = IncomeSurvey.objects.get(household=surveyed.household)
    assert (new.year, new.members, new.wages) == (YEAR, 5, Decimal("18000"))
    assert new.recorded_by == zhou.user and new.client_id is not None
    on_server.refresh_from_db()
    assert (on_server.members, on_server.wages) == (4, Decimal("5000"))
    kept = SyncRefusal.objects.get()
    assert kept.assistant == zhou and kept.kind == "survey"

    # Pages loaded again send nothing twice.
    page.goto(f"{url}/assistant/offline/")
    expect(page.locator('#sync-status [data-sync="waiting"]')).to_have_text("0")
    assert Visit.objects.count() == 1 and IncomeSurvey.objects.count() == 2
    for language in ("zh-hans", "en"):
        (in_english if language == "en" else in_chinese)(page, url)
        page.goto(f"{url}/assistant/offline/")
        data = (
            [f.shop_name for f in (visited, surveyed, known)]
            + [f.user.first_name for f in (visited, surveyed, known)]
            + [kept.reason]
        )
        check_language(page, language, HEADING[language], data)
        expect(page.locator('#sync-status [data-sync="offline"]')).to_be_hidden()
        phone_snapshot(page, f"offline_refused_{language.replace('-', '_')}")
    in_chinese(page, url)
    # The refusal is dismissed once read.
    refused.first.locator('[data-field="dismiss"]').click()
    expect(refused).to_have_count(0)
    assert wu.visits.count() == 0

    # 周 reads the visit in the household file: where, when made and when
    # received, and its photo.
    sign_out(page)
    sign_in(page, url, "assistant-zhou", "/assistant/")
    page.goto(f"{url}/assistant/farmers/{visited.pk}/")
    row = page.locator("li.visit")
    expect(row).to_contain_text("30.283456, 109.487654")
    expect(row.locator("img.visit-photo")).to_be_visible()
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    name = f"{visited.user.first_name} · {visited.shop_name}"
    for language in ("zh-hans", "en"):
        (in_english if language == "en" else in_chinese)(page, url)
        page.reload()
        check_language(page, language, name, data_of(page, visited))
        phone_snapshot(page, f"offline_visit_file_{language.replace('-', '_')}")
    in_chinese(page, url)


def small_photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1500), "#6a8f3c").save(buffer, "JPEG")
    return buffer.getvalue()


def data_of(page, farmer) -> list[str]:
    """What the household file shows of the farmer's own data, in any language."""
    household = farmer.household
    shown = [
        farmer.user.first_name,
        farmer.shop_name,
        farmer.phone,
        household.head_name,
        household.village.name,
        household.village.county.name,
        household.registration_number,
        household.support_measures,
        "蜂箱受潮",
        "周敏",
    ]
    return [value for value in shown if value]  # "" would match everywhere


def big_photo() -> bytes:
    """A 4 MB JPEG from the phone's camera (noise: the hardest case to shrink)."""
    from PIL import Image

    width, height = 2400, 1800
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def test_a_4_mb_photo_goes_up_a_slow_3g_connection_under_400_kb(live_server, new_phone):
    url = live_server.url
    farmer = FarmerFactory(user=UserFactory(username="farmer-li", role=Role.FARMER))
    product = ProductFactory(farmer=farmer, status=ProductStatus.DRAFT)
    photo = big_photo()
    assert len(photo) > 4 * 1024 * 1024

    page = new_phone()
    sign_in(page, url, "farmer-li", "/farmer/")
    page.goto(f"{url}{reverse('catalogue:listing', args=[product.pk])}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # Chrome's "Slow 3G": 2 s round trips, 400 kbit/s each way.
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 2000,
            "downloadThroughput": 400 * 1024 / 8,
            "uploadThroughput": 400 * 1024 / 8,
        },
    )
    # What reached the server: the live server runs in this process, so the
    # request's own Content-Length is read as it starts.
    sent = []

    def arrived(sender, environ, **kwargs):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith(
            "/photos/"
        ):
            sent.append(int(environ.get("CONTENT_LENGTH") or 0))

    request_started.connect(arrived)
    chooser = page.locator('input[type="file"][name="photo"]')
    chooser.set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(chooser).to_have_attribute(
        "data-shrunk", re.compile(r"^\d+$"), timeout=30000
    )
    add = reverse("catalogue:listing_photo_add", args=[product.pk])
    with page.expect_navigation(timeout=120000):
        page.locator(f'form[action="{add}"] button[type=submit]').click()
    request_started.disconnect(arrived)
    assert len(sent) == 1 and 0 < sent[0] < 400 * 1024, sent
    stored = ProductImage.objects.get(product=product)
    from PIL import Image

    with stored.image.open("rb") as file:
        assert max(Image.open(file).size) <= 1600
    # The connection back to normal, the listing shows its photo.
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )
    page.reload()
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    phone_snapshot(page, "offline_photo_uploaded_zh_hans")
