"""The text message outbox: queued in the caller's transaction and sent on
commit; the quiet hours, the limits per phone, the retries with backoff, and
the lease that keeps two workers from sending one message twice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sms import services
from sms.backends import Backend, SmsError
from sms.models import TextMessage
from sms.services import after_quiet_hours, sms_outbox_deliver, sms_queue, sms_send

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"


def at(hour, minute=0, day=4):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


class Failing(Backend):
    """The provider is down: every attempt fails, and may be tried again."""

    def send(self, *, phone, purpose, params):
        raise SmsError("isp.SYSTEM_ERROR", "down")


class Refusing(Backend):
    def send(self, *, phone, purpose, params):
        raise SmsError("isv.MOBILE_NUMBER_ILLEGAL", retry=False)


@pytest.fixture
def clock(monkeypatch):
    """Sets the outbox's clock: clock(moment)."""

    def set_to(moment):
        monkeypatch.setattr(services.timezone, "now", lambda: moment)

    return set_to


@pytest.mark.parametrize(
    ("moment", "sent_at"),
    [
        (at(21, 59), at(21, 59)),
        (at(22, 0), at(8, 0, day=5)),
        (at(23, 30), at(8, 0, day=5)),
        (at(0, 10), at(8, 0)),
        (at(7, 59), at(8, 0)),
        (at(8, 0), at(8, 0)),
        (at(12, 0), at(12, 0)),
    ],
)
def test_the_quiet_hours_run_from_22_to_8(moment, sent_at):
    assert after_quiet_hours(moment) == sent_at


def test_a_message_is_sent_on_commit_to_the_backend(
    django_capture_on_commit_callbacks, texts
):
    with django_capture_on_commit_callbacks(execute=True):
        message = sms_queue(
            phone=PHONE, purpose="order_paid", params={"number": "G1"}, urgent=True
        )
        assert texts() == []  # nothing leaves before the commit
    assert texts() == [
        {"phone": PHONE, "purpose": "order_paid", "params": {"number": "G1"}}
    ]
    message.refresh_from_db()
    assert message.status == TextMessage.Status.SENT
    assert message.attempts == 1 and message.sent_at is not None


def test_at_night_a_message_that_can_wait_waits_for_the_morning(clock, texts):
    clock(at(23, 0))
    waiting = sms_queue(phone=PHONE, purpose="order_paid", params={})
    urgent = sms_queue(phone=PHONE, purpose="sign_in_code", params={}, urgent=True)
    assert waiting.send_after == at(8, 0, day=5)
    assert sms_outbox_deliver() == 1
    assert [t["purpose"] for t in texts()] == ["sign_in_code"]
    clock(at(8, 0, day=5))
    assert sms_outbox_deliver() == 1
    assert [t["purpose"] for t in texts()] == ["sign_in_code", "order_paid"]
    urgent.refresh_from_db()
    assert urgent.status == TextMessage.Status.SENT


def test_a_phone_gets_its_hourly_and_daily_share_and_no_more(settings, texts, clock):
    settings.SMS_LIMIT_PER_HOUR = 2
    settings.SMS_LIMIT_PER_DAY = 3
    clock(at(9, 0))
    sent = [sms_queue(phone=PHONE, purpose="ship_soon", params={}) for _ in range(3)]
    assert sms_outbox_deliver() == 2
    sent[2].refresh_from_db()
    assert sent[2].status == TextMessage.Status.LIMITED
    # Another phone is not held back by this one's.
    sms_queue(phone="13900000000", purpose="ship_soon", params={})
    assert sms_outbox_deliver() == 1
    # An hour later the hourly share is back, but the day's runs out.
    clock(at(10, 1))
    later = [sms_queue(phone=PHONE, purpose="ship_soon", params={}) for _ in range(2)]
    assert sms_outbox_deliver() == 1
    later[1].refresh_from_db()
    assert later[1].status == TextMessage.Status.LIMITED
    assert [t["phone"] for t in texts()].count(PHONE) == 3
    # The next day it may be texted again.
    clock(at(10, 2, day=5))
    sms_queue(phone=PHONE, purpose="ship_soon", params={})
    assert sms_outbox_deliver() == 1


def test_a_failure_is_retried_with_backoff_then_given_up(settings, clock):
    settings.SMS_BACKEND = f"{__name__}.Failing"
    settings.SMS_RETRY_MINUTES = [1, 5, 30]
    start = at(9, 0)
    clock(start)
    message = sms_queue(phone=PHONE, purpose="payout_sent", params={})
    waits = []
    moment = start
    for _ in range(4):
        assert sms_send(message.pk) is False
        message.refresh_from_db()
        waits.append(message.send_after - moment)
        # Not due before its time ...
        assert sms_send(message.pk) is False
        moment = message.send_after
        clock(moment)
    assert waits[:3] == [timedelta(minutes=m) for m in (1, 5, 30)]
    assert message.status == TextMessage.Status.FAILED
    assert message.attempts == 4
    assert "isp.SYSTEM_ERROR" in message.error


def test_a_failure_no_retry_cures_is_given_up_at_once(settings):
    settings.SMS_BACKEND = f"{__name__}.Refusing"
    message = sms_queue(phone=PHONE, purpose="payout_sent", params={}, urgent=True)
    assert sms_send(message.pk) is False
    message.refresh_from_db()
    assert message.status == TextMessage.Status.FAILED and message.attempts == 1


def test_a_retry_at_night_waits_for_the_morning(settings, clock):
    settings.SMS_BACKEND = f"{__name__}.Failing"
    clock(at(21, 59))
    message = sms_queue(phone=PHONE, purpose="payout_sent", params={})
    sms_send(message.pk)
    message.refresh_from_db()
    assert message.send_after == at(8, 0, day=5)


def test_a_message_leased_by_one_worker_is_not_sent_by_another(texts):
    message = sms_queue(phone=PHONE, purpose="ship_soon", params={}, urgent=True)
    assert services._claim(message.pk) is not None  # a worker holds it
    assert sms_send(message.pk) is False
    assert sms_outbox_deliver() == 0
    assert texts() == []
    # Once its lease has expired, it goes.
    TextMessage.objects.filter(pk=message.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert sms_send(message.pk) is True
    assert sms_send(message.pk) is False  # sent: never again
    assert len(texts()) == 1


def test_parameters_are_clipped_to_what_the_provider_takes_but_a_link():
    long = "长" * 50
    message = sms_queue(
        phone=PHONE, purpose="set_password", params={"name": long, "link": long}
    )
    assert message.params == {"name": "长" * 35, "link": long}


def test_the_send_log_is_for_staff_and_masks_nothing_it_should_not(client, make_user):
    sms_queue(phone=PHONE, purpose="ship_soon", params={"number": "G1"})
    client.force_login(make_user(role="staff", username="ops"))
    page = client.get("/sms/", {"status": "pending"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "138****5678" in html and PHONE not in html
    assert (
        client.get("/sms/", {"phone": PHONE}).context["page_obj"].paginator.count == 1
    )
    assert (
        client.get("/sms/", {"status": "sent"}).context["page_obj"].paginator.count == 0
    )
    client.force_login(make_user(role="farmer"))
    assert client.get("/sms/").status_code == 403
