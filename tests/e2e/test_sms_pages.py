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


def test_the_link_is_texted_and_a_lost_text_is_marked_in_the_inbox(
    live_server, new_phone
):
    from notifications.models import Notification
    from orders.models import OrderStatus
    from orders.services.transitions import order_ship
    from sms.models import TextMessage
    from tests.factories import AssistantFactory, farmer_of, order_pay, place_order

    url = live_server.url
    assistant = AssistantFactory(user__username="assistant-zhou")
    farmer = farmer_of(
        assistant, phone="13600000001", shop_name="秀英蜂蜜", user__first_name="王秀英"
    )
    farmer.user.set_unusable_password()
    farmer.user.save()
    page = new_phone()
    sign_in(page, url, "assistant-zhou", "/assistant/")
    page.goto(f"{url}/assistant/farmers/{farmer.pk}/link/")
    page.locator(f'form[action$="/farmers/{farmer.pk}/link/text/"] button').click()
    expect(page.locator("#texted")).to_contain_text("已于")
    heading = f"{farmer.user.first_name} · {farmer.shop_name}"
    link = page.locator("#link").input_value()
    for language in ("zh-hans", "en"):
        (in_english if language == "en" else in_chinese)(page, url)
        page.reload()
        check_language(
            page,
            language,
            heading,
            [farmer.user.first_name, farmer.shop_name, farmer.phone, link],
        )
        phone_snapshot(page, f"sms_link_{language.replace('-', '_')}")
    in_chinese(page, url)

    # A buyer's "shipped" text the provider would not take: the inbox marks it.
    paid = order_pay(order=place_order())
    order = order_ship(
        order=paid,
        actor=paid.farmer.user,
        carrier="sf",
        tracking_number="SF1234567890123",
    )
    assert order.status == OrderStatus.SHIPPED
    buyer = order.buyer
    buyer.username = "buyer-li"
    buyer.save()
    failed = TextMessage.objects.create(
        phone="13700000002",
        purpose="order_shipped",
        status=TextMessage.Status.FAILED,
        send_after=timezone.now(),
    )
    Notification.objects.create(
        recipient=buyer, kind="order_shipped", order=order, text_message=failed
    )
    buyer_page = new_phone()
    sign_in(buyer_page, url, "buyer-li", "/orders/")
    buyer_page.goto(f"{url}/notifications/")
    expect(buyer_page.locator("main")).to_contain_text("短信未送达")
    for language, heading in (("zh-hans", "消息通知"), ("en", "Notifications")):
        (in_english if language == "en" else in_chinese)(buyer_page, url)
        buyer_page.reload()
        check_language(
            buyer_page,
            language,
            heading,
            [order.number, order.farmer.shop_name, "SF1234567890123", "顺丰速运"],
        )
        phone_snapshot(buyer_page, f"sms_inbox_{language.replace('-', '_')}")
