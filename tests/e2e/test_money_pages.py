"""The money pages on a 390×844 phone, in Chinese (the site's language) and in
English (the `django_language` cookie): an official's payouts by county, the
staff's payment reconciliation with its mismatches and the page applying one,
WeChat Pay's Native QR code and its JSAPI page inside WeChat, the staff's
payout run confirmation, and the assistant's farmers' earnings and a farmer's
payout account.

Each page is checked for its heading in the reader's language, its key figure
or table, no sideways scroll (phone_snapshot), and no text of the other
language outside the data shown (shop names, references and such are data).

WeChat Pay is configured as tests/orders configures it (locally made keys, the
settings overridden) and only its HTTP is answered, by `responses` as WeChat
Pay's API v3 documents: the Native and JSAPI prepay calls, the trade bill the
reconciliation downloads, and WeChat's OAuth code exchange; WeChat's sign-in
page, which the browser cannot reach here, is stood in for by going back to
the site with a code, as WeChat does. Tapping Pay inside WeChat reaches WeChat's
sign-in: the pay page's Content-Security-Policy lets its form go on there.
Screenshots: tests/e2e/artifacts/money_pages_*.png."""

import datetime
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from catalogue.models import ProductStatus
from orders.models import Mismatch, PaymentProviderCode, Refund
from orders.services.reconciliation import reconcile
from orders.services.transitions import order_cancel
from settlement.models import PayoutBatch
from settlement.services.payouts import (
    batch_mark_paid,
    payout_account_save,
    payout_run,
)
from tests.e2e.conftest import PHONE, phone_snapshot, sign_in
from tests.factories import (
    AssistantFactory,
    CountyFactory,
    ProductFactory,
    UserFactory,
    place_checkout,
)
from tests.orders.conftest import wechat, wechat_keys  # noqa: F401 (fixtures)
from tests.orders.test_wechat_bill import bill, row, serve
from tests.settlement.conftest import paid_order
from tests.settlement.test_ledger import fail
from tests.settlement.test_payouts import CARD, earning_farmer, verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MASKED = "•••• 0128"
CODE_URL = "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"
PREPAY_ID = "wx201410272009395522657a690389285100"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50 NetType/WIFI"
)
ACCESS_TOKEN_URL = "https://api.weixin.qq.com/sns/oauth2/access_token"
BILL_DAY = datetime.date(2025, 5, 20)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]+")
SWITCHER = {"中文", "English"}  # each language's own name, on every page


def shot(page, name: str, language: str) -> None:
    phone_snapshot(page, f"money_pages_{name}_{language.replace('-', '_')}")


def in_english(page, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])


def in_chinese(page, url: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": url}]
    )


def stray_words(page, language: str, data=()) -> list[str]:
    """Words of the other language on the page, once the data shown (names,
    references, amounts) and the language switcher are taken out."""
    text = page.locator("body").inner_text()
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(str(value), " ")
    found = HAN.findall(text) if language == "en" else LATIN_WORD.findall(text)
    return [word for word in found if word not in SWITCHER]


def check_language(page, language: str, heading: str, data=()) -> None:
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("main h1")).to_have_text(heading)
    assert stray_words(page, language, data) == []


def fits(page, selector: str) -> None:
    """The element is inside the phone's width (a wide table scrolls in its own
    box, so its box must fit)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


def tappable(page, selector: str) -> None:
    for button in page.locator(selector).all():
        box = button.bounding_box()
        assert box and box["height"] >= 40 and box["width"] >= 44, (selector, box)


# --- 1. Payouts by county --------------------------------------------------------


def test_payouts_by_county(live_server, new_phone):
    url = live_server.url
    official = UserFactory(username="official-bing", role=Role.OFFICIAL)
    counties = [
        CountyFactory(name="丙县", name_en="Bing County", province="贵州省"),
        CountyFactory(
            name="黔东南苗族侗族自治州雷山县",
            name_en="Leishan County, Qiandongnan Miao and Dong Autonomous Prefecture",
            province="贵州省",
        ),
    ]
    for county in counties:
        county.officials.add(official)
    bing = AssistantFactory(county=counties[0])
    leishan = AssistantFactory(county=counties[1])
    # Bing: one farmer paid (the batch marked paid), one still with the bank.
    first = earning_farmer(bing, "1280.50")
    verified(first, bing)
    batch, _held = payout_run()
    batch_mark_paid(
        batch=batch, actor=UserFactory(role=Role.STAFF), bank_reference="ABC-001"
    )
    second = earning_farmer(bing, "66.60")
    verified(second, bing)
    third = earning_farmer(leishan, "12345.00")
    verified(third, leishan)
    payout_run()

    page = new_phone()
    sign_in(page, url, "official-bing", "/reports/")
    page.goto(f"{url}/reports/payouts/")
    names = {"zh-hans": ["丙县", counties[1].name], "en": []}
    names["en"] = [c.name_en for c in counties]
    for language, heading in (("zh-hans", "各县打款"), ("en", "Payouts by county")):
        if language == "en":
            in_english(page, url)
            page.reload()
        rows = page.locator("main table tbody tr")
        expect(rows).to_have_count(2)
        # Ordered by the county's name as written.
        leishan_row = rows.filter(has_text=names[language][1])
        bing_row = rows.filter(has_text=names[language][0])
        # The county heads its row; the figures are yuan, as the headings say.
        expect(bing_row.locator("th, td")).to_have_text(
            [names[language][0], "2", "1280.50", "66.60"]
        )
        expect(leishan_row.locator("th, td")).to_have_text(
            [names[language][1], "1", "0.00", "12345.00"]
        )
        fits(page, "main .scroll")  # the table fits, or scrolls inside it
        check_language(page, language, heading, data=names[language])
        shot(page, "1_county_payouts", language)


# --- 2. Reconciliation -----------------------------------------------------------


def wechat_on(settings, url) -> None:
    """WeChat's sign-in comes back to the live server (SITE_URL); WeChat Pay's
    notifications go to the site's https address, as they must."""
    settings.SITE_URL = url
    settings.WECHATPAY_NOTIFY_URL = "https://market.example.cn/orders/webhooks/wechat/"


def wechat_checkout(buyer=None, shops=("富硒茶叶合作社", "李家山花蜂场")):
    products = [
        ProductFactory(
            status=ProductStatus.ACTIVE,
            price=Decimal("128.00"),
            farmer__shop_name=shop,
        )
        for shop in shops
    ]
    return place_checkout(
        buyer or UserFactory(),
        [(product, 1) for product in products],
        provider=PaymentProviderCode.WECHAT,
    )


def test_reconciliation_and_applying_a_payment(live_server, new_phone, wechat):  # noqa: F811
    url = live_server.url
    UserFactory(username="staff-zhou", role=Role.STAFF)
    checkout = wechat_checkout()
    payment = checkout.payments.get()
    # WeChat's bill of the day: our payment taken (its notification never came)
    # and money for an order of some other system.
    lines = [
        row(
            微信订单号="4200002345202505201234567890",
            商户订单号=payment.reference.hex,
            交易状态="SUCCESS",
            应结订单金额=str(payment.amount),
            订单金额=str(payment.amount),
        ),
        row(
            微信订单号="4200002345202505209876543210",
            商户订单号="OTHER-SYSTEM-2",
            交易状态="SUCCESS",
            应结订单金额="1.00",
            订单金额="1.00",
        ),
    ]
    serve(wechat, bill(lines, "总交易单数\n`2"))
    reconcile(provider_code=PaymentProviderCode.WECHAT, day=BILL_DAY)
    assert sorted(Mismatch.objects.values_list("kind", flat=True)) == [
        Mismatch.Kind.PAID_NOT_RECORDED,
        Mismatch.Kind.UNKNOWN_REFERENCE,
    ]
    missed = Mismatch.objects.get(kind=Mismatch.Kind.PAID_NOT_RECORDED)
    data = [
        str(payment.reference),
        "OTHER-SYSTEM-2",
        "4200002345202505201234567890",
        "4200002345202505209876543210",
        "staff-zhou",
    ]

    page = new_phone()
    sign_in(page, url, "staff-zhou", "/admin/")
    headings = {
        "zh-hans": ("支付对账", "补记付款"),
        "en": ("Payment reconciliation", "Apply a payment"),
    }
    for language in ("zh-hans", "en"):
        if language == "en":
            in_english(page, url)
        page.goto(f"{url}/staff/reconciliation/")
        expect(page.locator("main li.mismatch")).to_have_count(2)
        row_ = page.locator(f"main #mismatch-{missed.pk}")
        expect(row_).to_contain_text(str(payment.reference))
        expect(row_).to_contain_text(f"¥{payment.amount:.2f}")
        expect(row_.locator(".badge.warn")).to_have_count(1)
        expect(page.locator("main li.reconciliation")).to_have_count(1)
        fits(page, f"main #mismatch-{missed.pk}")
        tappable(page, f"main #mismatch-{missed.pk} .actions .button")
        check_language(page, language, headings[language][0], data)
        shot(page, "2_reconciliation", language)
        # The note form opens under its summary.
        row_.locator("details summary").click()
        expect(row_.locator("textarea[name=note]")).to_be_visible()
        fits(page, f"main #mismatch-{missed.pk} textarea")
        shot(page, "2_reconciliation_note", language)

        row_.locator(f'a[href="/staff/reconciliation/{missed.pk}/apply/"]').click()
        page.wait_for_url(f"{url}/staff/reconciliation/{missed.pk}/apply/")
        expect(page.locator("main .facts")).to_contain_text(str(payment.reference))
        expect(
            page.locator("main form[method=post] button[type=submit]")
        ).to_be_visible()
        tappable(page, "main form[method=post] .actions > *")
        check_language(page, language, headings[language][1], data)
        shot(page, "3_mismatch_apply", language)


def test_a_refund_owed_is_sent_again(live_server, new_phone):
    url = live_server.url
    UserFactory(username="staff-zhou", role=Role.STAFF)
    order = paid_order("35.00")
    order_cancel(order=order, actor=order.buyer)
    refund = fail(Refund.objects.get(order=order), "e2e")
    data = [refund.refund_id, order.number, order.farmer.shop_name, "staff-zhou"]
    page = new_phone()
    sign_in(page, url, "staff-zhou", "/admin/")
    headings = {
        "zh-hans": ("支付对账", "重新发起退款", "已重新发起退款。"),
        "en": ("Payment reconciliation", "Send a refund again", "sent again"),
    }
    for language in ("zh-hans", "en"):
        if language == "en":
            in_english(page, url)
        page.goto(f"{url}/staff/reconciliation/")
        row_ = page.locator(f"main #refund-{refund.pk}")
        expect(row_).to_contain_text("¥35.00")
        expect(row_).to_contain_text(refund.refund_id)
        fits(page, f"main #refund-{refund.pk}")
        tappable(page, f"main #refund-{refund.pk} .actions .button")
        check_language(page, language, headings[language][0], data)
        page.locator(f"main #refund-{refund.pk}").scroll_into_view_if_needed()
        shot(page, "2_refunds_owed", language)
        row_.locator(".actions .button").click()
        page.wait_for_url(f"{url}/staff/reconciliation/refunds/{refund.pk}/retry/")
        tappable(page, "main form[method=post] .actions > *")
        check_language(page, language, headings[language][1], data)
        shot(page, "2_refund_retry", language)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{url}/staff/reconciliation/#refunds-owed")
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text(
        headings["en"][2]
    )
    expect(page.locator(f"main #refund-{refund.pk}")).to_have_count(0)
    assert Refund.objects.get(retry_of=refund).status == "succeeded"


# --- 3. WeChat Pay: the Native QR code and JSAPI inside WeChat -------------------


def test_the_native_qr_code_page(live_server, new_phone, settings, wechat):  # noqa: F811
    url = live_server.url
    wechat_on(settings, url)
    wechat.answer("POST", "/v3/pay/transactions/native", {"code_url": CODE_URL})
    buyer = UserFactory(username="buyer-chen")
    checkout = wechat_checkout(buyer)
    page = new_phone()  # Chromium's own User-Agent: a computer, so Native
    sign_in(page, url, "buyer-chen", "/orders/")
    due = f"¥{checkout.amount_due:.2f}"
    headings = {"zh-hans": "付款", "en": "Pay"}
    for language in ("zh-hans", "en"):
        if language == "en":
            in_english(page, url)
        page.goto(f"{url}/orders/checkout/{checkout.pk}/")
        page.locator(
            f'main form[action="/orders/checkout/{checkout.pk}/pay/"] button'
        ).click()
        page.wait_for_url(f"{url}/orders/checkout/{checkout.pk}/pay/")
        expect(page.locator("main .price")).to_have_text(due)
        qr = page.locator("main .qr svg")
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        # Big enough to scan from a screen, and whole on it.
        assert box["width"] >= 200 and box["height"] >= 200, box
        fits(page, "main .qr svg")
        tappable(page, "main a.button")
        check_language(page, language, headings[language], [due])
        shot(page, "4_wechat_native", language)
    assert len(wechat.bodies("/native")) == 2  # the same out_trade_no, twice


def wechat_sign_in(page, url, checkout) -> None:
    """The site's WeChat sign-in (where the pay button leads inside WeChat)
    sends the buyer to WeChat's silent sign-in (snsapi_base), and WeChat sends
    them straight back with a code. The browser cannot reach WeChat here: its
    context asks the site for that first hop (its cookies, its User-Agent), and
    the page goes back as WeChat would send it."""
    first = page.context.request.get(
        f"{url}/orders/wechat/oauth/?checkout={checkout.pk}", max_redirects=0
    )
    assert first.status == 302
    to_wechat = urlsplit(first.headers["location"])
    assert (to_wechat.netloc, to_wechat.path, to_wechat.fragment) == (
        "open.weixin.qq.com",
        "/connect/oauth2/authorize",
        "wechat_redirect",
    )
    query = parse_qs(to_wechat.query)
    assert query["scope"] == ["snsapi_base"]
    back = urlencode({"code": "THE-CODE", "state": query["state"][0]})
    page.goto(f"{query['redirect_uri'][0]}?{back}")


def inside_wechat(browser, settings, wechat, url):  # noqa: F811
    """A WeChat-browser context on the phone, WeChat Pay (JSAPI, with an app
    secret for WeChat's sign-in) on, and WeChat answering the code exchange."""
    wechat_on(settings, url)
    settings.WECHATPAY_APP_SECRET = "the-app-secret"
    wechat.mock.get(
        ACCESS_TOKEN_URL,
        json={
            "access_token": "ACCESS_TOKEN",
            "expires_in": 7200,
            "refresh_token": "REFRESH_TOKEN",
            "openid": OPENID,
            "scope": "snsapi_base",
        },
    )
    wechat.answer("POST", "/v3/pay/transactions/jsapi", {"prepay_id": PREPAY_ID})
    return browser.new_context(
        viewport=PHONE, locale="zh-CN", device_scale_factor=1, user_agent=WECHAT_UA
    )


def test_the_jsapi_page_inside_wechat(live_server, browser, settings, wechat):  # noqa: F811
    url = live_server.url
    context = inside_wechat(browser, settings, wechat, url)
    checkout = wechat_checkout(UserFactory(username="buyer-chen"))
    due = f"¥{checkout.amount_due:.2f}"
    headings = {"zh-hans": "付款", "en": "Pay"}
    try:
        page = context.new_page()
        sign_in(page, url, "buyer-chen", "/orders/")
        # First WeChat's sign-in; coming back from it, the JSAPI page.
        wechat_sign_in(page, url, checkout)
        for language in ("zh-hans", "en"):
            if language == "en":
                # Signed in with WeChat already: the pay button renders it at once.
                in_english(page, url)
                page.goto(f"{url}/orders/checkout/{checkout.pk}/")
                page.locator(
                    f'main form[action="/orders/checkout/{checkout.pk}/pay/"] button'
                ).click()
            page.wait_for_selector("#wechat-jsapi", state="attached")
            expect(page.locator("main #wechat-pay-status")).to_be_visible()
            expect(page.locator("main .price")).to_have_text(due)
            tappable(page, "main a.button")
            check_language(page, language, headings[language], [due])
            shot(page, "5_wechat_jsapi", language)
        sent = wechat.bodies("/jsapi")
        assert len(sent) == 2 and sent[0]["payer"] == {"openid": OPENID}
    finally:
        context.close()


def test_the_pay_button_inside_wechat_reaches_wechats_sign_in(
    live_server,
    browser,
    settings,
    wechat,  # noqa: F811
):
    url = live_server.url
    context = inside_wechat(browser, settings, wechat, url)
    checkout = wechat_checkout(UserFactory(username="buyer-chen"))
    try:
        page = context.new_page()
        sign_in(page, url, "buyer-chen", "/orders/")
        page.goto(f"{url}/orders/checkout/{checkout.pk}/")
        with page.expect_request(
            lambda request: request.url.startswith("https://open.weixin.qq.com/"),
            timeout=10_000,
        ):
            page.locator(
                f'main form[action="/orders/checkout/{checkout.pk}/pay/"] button'
            ).click()
    finally:
        context.close()


# --- 4. The staff's payout run, confirmed first ----------------------------------


def test_the_payout_run_confirmation(live_server, new_phone):
    url = live_server.url
    UserFactory(username="staff-zhou", role=Role.STAFF)
    assistant = AssistantFactory()
    ready = earning_farmer(assistant, "1280.50")
    ready.shop_name = "黔东南雷山县西江千户苗寨高山有机生态茶叶种植专业合作社"
    ready.save(update_fields=["shop_name"])
    verified(ready, assistant)
    waiting = earning_farmer(assistant, "66.60")
    waiting.shop_name = "李家山花蜂场"
    waiting.save(update_fields=["shop_name"])
    payout_account_save(
        farmer=waiting,
        actor=waiting.user,
        method="alipay",
        holder_name="李大山",
        number="13800001111",
    )

    page = new_phone()
    sign_in(page, url, "staff-zhou", "/admin/")
    headings = {"zh-hans": "执行打款", "en": "Run the payouts"}
    data = [ready.shop_name, waiting.shop_name]
    for language in ("zh-hans", "en"):
        if language == "en":
            in_english(page, url)
        page.goto(f"{url}/staff/payouts/run/")
        due = page.locator("main ul.rows li.row")
        expect(due).to_have_count(2)
        expect(due.filter(has_text=ready.shop_name).locator(".price")).to_have_text(
            "¥1280.50"
        )
        expect(due.filter(has_text=ready.shop_name).locator(".badge.ok")).to_have_count(
            1
        )
        expect(
            due.filter(has_text=waiting.shop_name).locator(".badge.warn")
        ).to_have_count(1)
        tappable(page, "main form[method=post] > button, main form[method=post] > a")
        check_language(page, language, headings[language], data)
        shot(page, "6_payout_run_confirm", language)
    assert not PayoutBatch.objects.exists()  # looking pays nobody


# --- 5. The assistant's farmers' earnings and a payout account -------------------


def test_the_assistants_earnings_pages(live_server, new_phone):
    url = live_server.url
    wang = AssistantFactory(user__username="assistant-wang")
    paid = earning_farmer(wang, "1280.50")
    paid.shop_name = "富硒茶叶合作社"
    paid.save(update_fields=["shop_name"])
    verified(paid, wang)
    to_verify = earning_farmer(wang, "66.60")
    to_verify.shop_name = "黔东南雷山县西江千户苗寨高山有机生态茶叶种植专业合作社"
    to_verify.save(update_fields=["shop_name"])
    payout_account_save(
        farmer=to_verify,
        actor=to_verify.user,
        method="bank",
        holder_name="王秀英",
        bank_name="中国农业银行 雷山县支行",
        number=CARD,
    )
    none = earning_farmer(wang, "45.00")
    none.shop_name = "李家山花蜂场"
    none.save(update_fields=["shop_name"])
    shops = [paid.shop_name, to_verify.shop_name, none.shop_name]

    page = new_phone()
    sign_in(page, url, "assistant-wang", "/assistant/")
    for language in ("zh-hans", "en"):
        if language == "en":
            in_english(page, url)
        page.goto(f"{url}/assistant/earnings/")
        heading = "农户收入" if language == "zh-hans" else "Farmers' earnings"
        expect(page.locator("main li.farmer-money")).to_have_count(3)
        row_ = page.locator(f"main #farmer-{to_verify.pk}")
        expect(row_.locator(".badge.warn")).to_have_count(1)
        expect(row_).to_contain_text("¥66.60")
        # Why the payout is held, after the label and the language's colon.
        held = "打款暂缓：" if language == "zh-hans" else "Payout held: "
        expect(page.locator(f"main #farmer-{none.pk} .reason")).to_have_text(
            re.compile(rf"^{held}\S")
        )
        fits(page, f"main #farmer-{to_verify.pk}")
        check_language(page, language, heading, shops)
        shot(page, "7_assistant_earnings", language)

        row_.locator(f'a[href="/assistant/earnings/{to_verify.pk}/account/"]').click()
        page.wait_for_url(f"{url}/assistant/earnings/{to_verify.pk}/account/")
        heading = "收款账户" if language == "zh-hans" else "Payout account"
        current = page.locator("main #current-account")
        expect(current).to_contain_text(MASKED)
        expect(current.locator(".badge.warn")).to_have_count(1)
        assert CARD not in page.content()
        tappable(page, "main button[type=submit], main form a.button")
        data = [*shops, MASKED, "王秀英", "中国农业银行 雷山县支行"]
        check_language(page, language, heading, data)
        shot(page, "8_assistant_account", language)
    # Back in Chinese, the account verified.
    in_chinese(page, url)
    page.goto(f"{url}/assistant/earnings/{paid.pk}/account/")
    expect(page.locator("main #current-account .badge.ok")).to_have_count(1)
    verified_on = timezone.localdate().isoformat()  # as every date on the site
    expect(page.locator("main #current-account")).to_contain_text(verified_on)
    check_language(
        page,
        "zh-hans",
        "收款账户",
        [paid.shop_name, MASKED, "王秀英", "农业银行", "assistant-wang"],
    )
    shot(page, "9_assistant_account_verified", "zh-hans")
    in_english(page, url)
    page.reload()
    expect(page.locator("main #current-account")).to_contain_text(verified_on)
    check_language(
        page,
        "en",
        "Payout account",
        [paid.shop_name, MASKED, "王秀英", "农业银行", "assistant-wang"],
    )
    shot(page, "9_assistant_account_verified", "en")
