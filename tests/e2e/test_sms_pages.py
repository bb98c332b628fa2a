"""Text messages and signing in by phone on a 390×844 phone, in Chinese and in
English: a farmer signs in with the code texted to them, looks at their phone
and their message settings and turns one kind off; staff read the send log.
Each page is checked for its heading in the reader's language, no sideways
scroll and no words of the other language outside its data. Screenshots:
tests/e2e/artifacts/sms_*.png."""

import json

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from notifications.models import Preference
from tests.e2e.conftest import phone_snapshot, sign_in
from tests.e2e.test_money_pages import check_language, in_chinese, in_english
from tests.factories import FarmerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13812345678"
HEADINGS = {
    "sign_in": {"zh-hans": "验证码登录", "en": "Sign in with a code"},
    "phone": {"zh-hans": "手机号码", "en": "Mobile phone"},
    "settings": {"zh-hans": "消息设置", "en": "Message settings"},
    "log": {"zh-hans": "短信发送记录", "en": "Text messages sent"},
}


def each_language(page, url, name, data=()) -> None:
    here = page.url
    for language in ("zh-hans", "en"):
        (in_english if language == "en" else in_chinese)(page, url)
        page.goto(here)
        check_language(page, language, HEADINGS[name][language], data)
        phone_snapshot(page, f"sms_{name}_{language.replace('-', '_')}")
    in_chinese(page, url)
    page.goto(here)


def last_code() -> str:
    with open(settings.SMS_FILE_PATH, encoding="utf-8") as sent:
        return json.loads(sent.readlines()[-1])["params"]["code"]


def test_a_farmer_signs_in_by_code_and_chooses_their_messages(live_server, new_phone):
    url = live_server.url
    farmer = FarmerFactory(
        phone=PHONE,
        user=UserFactory(
            username="wangxiuying",
            role=Role.FARMER,
            email="",
            phone=PHONE,
            phone_verified_at=timezone.now(),
        ),
    )
    page = new_phone()
    page.goto(f"{url}/accounts/login/")
    page.locator('a[href^="/accounts/login/phone/"]').click()
    page.fill("#id_phone", PHONE)
    page.locator('button[value="send"]').click()
    expect(page.locator(".messages")).to_contain_text("验证码")
    each_language(page, url, "sign_in", data=[PHONE])
    page.fill("#id_phone", PHONE)  # the page was loaded again for each language
    page.fill("#id_code", last_code())
    page.locator('button[value="sign_in"]').first.click()
    page.wait_for_url(f"{url}/farmer/")

    page.goto(f"{url}/accounts/phone/")
    expect(page.locator("main")).to_contain_text(PHONE)
    each_language(page, url, "phone", data=[PHONE])

    page.goto(f"{url}/notifications/settings/")
    each_language(page, url, "settings")
    sms = page.locator('input[name="sms_order_paid"]')
    expect(sms).to_be_checked()  # no e-mail: text messages by default
    expect(page.locator('input[name="email_order_paid"]')).to_be_disabled()
    sms.uncheck()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    assert Preference.objects.get(user=farmer.user, kind="order_paid").sms is False
    assert Preference.objects.get(user=farmer.user, kind="ship_soon").sms is True


def test_staff_read_the_send_log(live_server, new_phone):
    from sms.services import sms_queue

    url = live_server.url
    UserFactory(username="ops", role=Role.STAFF)
    sms_queue(phone=PHONE, purpose="order_paid", params={"number": "G1"})
    page = new_phone()
    sign_in(page, url, "ops", "/admin/")
    page.goto(f"{url}/sms/")
    expect(page.locator("main table")).to_contain_text("138****5678")
    each_language(page, url, "log", data=["138****5678"])
