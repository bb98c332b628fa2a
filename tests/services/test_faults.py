"""Faults on the real stack: PostgreSQL, Redis, the docker-compose worker and web
commands (tests/services/stack.py). What each fault must not break, and the Celery
settings behind it, are in docs/OPERATIONS.md.

- Redis down: pages serve, a signed-in dashboard too, the checkout succeeds and its
  e-mails wait in the outbox; once Redis is back the same running worker sends each
  exactly once.
- A worker process SIGKILLed mid-task: a rollup rebuild blocked inside its
  transaction leaves nothing half-done and a rerun converges to the rows of a clean
  rebuild; an export ends failed, with a message, once past the hard time limit,
  and a new export succeeds.
- Duplicate delivery of a task: one e-mail, the same rows, one file, stock released
  once, one alert.
- PostgreSQL restarted during traffic: the request in flight gets a complete 500
  response (no reset, no hang) and the next ones succeed on both gunicorn workers.

Tasks are made to block at a known point by holding a lock from the test's own
connection, and pg_stat_activity shows when they wait on it, so no step depends
on timing; every wait polls with a deadline."""

import ast
import itertools
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.db.models import F, Sum
from django.test import Client
from django.utils import timezone

from catalogue.models import Product, ProductImage, ProductStatus
from config.celery import app
from fieldwork.models import HelpCase
from fieldwork.tasks import alert_farmers_needing_help
from notifications.models import Notification
from notifications.tasks import deliver_notification_outbox, send_notification_email
from orders.models import DirtyDay, Order, OrderEvent, OrderLine, OrderStatus
from orders.tasks import expire_unpaid_orders
from reports import rollups
from reports.exports import export_request, running_timeout
from reports.models import DailySales, MonthlyProductSales, MonthlySales, ReportExport
from reports.tasks import build_export, export_housekeeping, rebuild_dirty_days
from tests.catalogue.test_product_images import photo
from tests.factories import (
    AddressFactory,
    AssignmentFactory,
    ProductFactory,
    UserFactory,
    order_pay,
    place_order,
)
from tests.reports.test_sales_report import county_c  # noqa: F401 - fixture
from tests.services.stack import (
    ROOT,
    restart_postgres,
    running,
    stack_env_for,
    start_redis,
    stop_redis,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WAIT = 30  # seconds: the deadline of every wait below
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's
SUMMARY_TABLES = (*rollups.DAILY, *rollups.MONTHLY)
REPORT_FILTERS = {"start": "2018-01", "end": "2018-12"}


def wait_until(predicate, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"{what}: not within {timeout}s")


@dataclass
class Worker:
    """The compose worker command, running for the whole module."""

    process: subprocess.Popen
    log: Path
    mail: Path  # the worker's e-mail backend writes one file per message here
    private_media: Path

    def pool_pid(self, *, task_id=None, name=None, args=None) -> int:
        """The pid of the pool process running a task (from `celery inspect`)."""

        def find():
            for tasks in (app.control.inspect(timeout=1).active() or {}).values():
                for task in tasks:
                    if task["id"] == task_id or (
                        task["name"] == name and list(task["args"]) == args
                    ):
                        return task["worker_pid"]
            return None

        return wait_until(find, f"a worker running {task_id or name}")

    def deliveries(self, task_id: str, count: int = 2) -> list[str]:
        """What each of `count` deliveries of one task message (one task id)
        returned, as the worker logged it. (Their results share the id, so the
        result backend keeps only one.)"""
        done = re.compile(rf"\[{re.escape(task_id)}\] succeeded in [\d.]+s: (.*)")

        def logged():
            returns = done.findall(self.log.read_text())
            return returns if len(returns) >= count else None

        return sorted(wait_until(logged, f"{count} deliveries of {task_id}"))

    def mails_to(self, address: str) -> list[str]:
        if not self.mail.exists():
            return []
        texts = [path.read_text() for path in sorted(self.mail.iterdir())]
        return [text for text in texts if f"To: {address}" in text]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("worker")
    with django_db_blocker.unblock():
        env = stack_env_for(django_settings, tmp)
    env.update(
        # django-environ drops the path's first slash: four make it absolute.
        EMAIL_URL=f"filemail:///{tmp / 'mail'}",
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private-media"),
    )
    log = tmp / "worker.log"
    with running("worker", env, log) as process:
        wait_for(lambda: "ready." in log.read_text(), process, log)
        yield Worker(process, log, tmp / "mail", tmp / "private-media")


def database_params() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"],
    }


@contextmanager
def lock_held(statement: str, params=()):
    """Hold a lock, taken by `statement`, from a connection of the test's own until
    the block ends (or PostgreSQL drops the connection)."""
    holder = psycopg.connect(**database_params(), connect_timeout=5)
    try:
        holder.execute(statement, params)
        yield
    finally:
        with suppress(psycopg.OperationalError):  # PostgreSQL restarted under it
            holder.rollback()
        holder.close()


def waiting_on_locks(text: str) -> list[int]:
    """Backend pids of the test database whose statement mentions `text` and waits
    on a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query ILIKE %s",
            [f"%{text}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def terminate_backend(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def backend_gone(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def summary_rows() -> dict:
    """Every summary table's rows, without their ids."""
    rows = {}
    for model in SUMMARY_TABLES:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows[model.__name__] = sorted(model.objects.values_list(*fields), key=str)
    return rows


def clean_rebuild_rows() -> dict:
    rollups.rebuild_all()
    return summary_rows()


def sign_in(client: Client, user) -> None:
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


# --- Redis down ----------------------------------------------------------------------


def test_with_redis_down_pages_and_checkout_work_and_no_email_is_lost(worker, caplog):
    assignment = AssignmentFactory()
    product = ProductFactory(
        status=ProductStatus.ACTIVE, farmer=assignment.farmer, stock=10
    )
    buyer = UserFactory()
    AddressFactory(buyer=buyer)
    visitor, assistant, shopper = Client(), Client(), Client()
    stop_redis()
    try:
        # The cache (rate limits) is unreachable: a miss, not an error.
        assert caches["default"].get("anything", "missed") == "missed"
        for path in (
            "/",
            "/products/",
            f"/products/{product.pk}/",
            f"/shop/{product.farmer.slug}/",
        ):
            assert visitor.get(path).status_code == 200, path
        sign_in(assistant, assignment.assistant.user)
        assert assistant.get("/accounts/home/", follow=True).status_code == 200
        # The assistant adds a photo to their farmer's draft: saved, and the page
        # answers as usual (queueing its renditions fails, and is only logged).
        draft = ProductFactory(farmer=assignment.farmer, status=ProductStatus.DRAFT)
        added = assistant.post(f"/listings/{draft.pk}/photos/", {"photo": photo()})
        assert added.status_code == 302, added.content.decode()[:500]
        assert ProductImage.objects.filter(product=draft).count() == 1
        # The buyer signs in and checks out (paying on delivery, so the order is
        # confirmed and its farmer and assistant are notified at once).
        sign_in(shopper, buyer)
        shopper.post("/orders/cart/add/", {"product": product.pk, "quantity": 2})
        form = shopper.get("/orders/checkout/").context["form"]
        placed = shopper.post(
            "/orders/checkout/",
            {
                "place": "1",
                "address": form.fields["address"].queryset.get().pk,
                "provider": "on_delivery",
                "idempotency_key": str(form["idempotency_key"].value()),
                "quote": form["quote"].value(),
            },
        )
        assert placed.status_code == 302, placed.content.decode()[:500]
        assert shopper.get(placed.url).status_code == 200
    finally:
        start_redis()
    order = Order.objects.get(buyer=buyer)
    assert order.status == OrderStatus.PAID
    product.refresh_from_db()
    assert product.stock == 8
    notifications = list(Notification.objects.filter(order=order))
    recipients = {n.recipient for n in notifications}
    assert recipients == {product.farmer.user, assignment.assistant.user}
    assert {n.email for n in notifications} == {Notification.Email.PENDING}
    # The e-mail tasks were not sent; sending them did not wait on Redis's result
    # store (which retries for about 20 seconds per task).
    assert "Celery result store" not in caplog.text
    assert "Connection to Redis lost" not in caplog.text

    # Redis is back: the worker that lived through the outage sends the outbox.
    sent = deliver_notification_outbox.delay().get(timeout=WAIT)
    assert sent == 2
    # Delivered again (a duplicate of the beat job, and of each e-mail task):
    # nothing more is sent.
    assert deliver_notification_outbox.delay().get(timeout=WAIT) == 0
    for notification in notifications:
        assert send_notification_email.delay(notification.pk).get(timeout=WAIT) is False
        notification.refresh_from_db()
        assert notification.email == Notification.Email.SENT
        mails = worker.mails_to(notification.recipient.email)
        assert len(mails) == 1 and order.number in mails[0]


# --- A worker killed mid-task --------------------------------------------------------


def test_a_worker_killed_mid_rollup_leaves_nothing_half_done_and_a_rerun_converges(
    worker,
):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    order_pay(order=place_order(product=product, quantity=1))
    rollups.rebuild_dirty()
    before = summary_rows()
    for quantity in (2, 3):  # the day is dirty again: its rows are out of date
        order_pay(order=place_order(product=product, quantity=quantity))
    last_table = MonthlyProductSales._meta.db_table
    with lock_held(f"LOCK TABLE {last_table} IN ACCESS EXCLUSIVE MODE"):
        result = rebuild_dirty_days.delay()
        # The rebuild waits on the last table, inside its transaction, with
        # some of its statements done.
        (orphan,) = wait_until(
            lambda: waiting_on_locks(last_table), "the rebuild waiting on a lock"
        )
        os.kill(worker.pool_pid(task_id=result.id), signal.SIGKILL)
        result.get(timeout=WAIT, propagate=False)
        assert result.state == "FAILURE"
        assert type(result.result).__name__ == "WorkerLostError"
    # Its connection's transaction can only roll back (nobody can commit it).
    wait_until(lambda: backend_gone(orphan), "the killed rebuild's connection ending")
    assert summary_rows() == before
    assert DirtyDay.objects.exists()

    today = timezone.localdate().isoformat()
    assert rebuild_dirty_days.delay().get(timeout=WAIT) == [today]
    after = summary_rows()
    assert not DirtyDay.objects.exists()
    assert after != before
    assert after == clean_rebuild_rows()
    lines = OrderLine.objects.aggregate(gmv=Sum("line_total"), units=Sum("quantity"))
    day = DailySales.objects.get()
    assert (day.gmv, day.units, day.orders) == (lines["gmv"], lines["units"], 3)


def test_a_worker_killed_mid_export_ends_failed_and_a_new_export_succeeds(
    worker,
    county_c,  # noqa: F811
    settings,
):
    settings.PRIVATE_MEDIA_ROOT = worker.private_media
    official = county_c[1]
    read_table = MonthlySales._meta.db_table  # the county sales report reads it
    with lock_held(f"LOCK TABLE {read_table} IN ACCESS EXCLUSIVE MODE"):
        export = export_request(
            user=official,
            report="county_sales",
            params=REPORT_FILTERS,
            file_format="csv",
        )
        (orphan,) = wait_until(
            lambda: waiting_on_locks(read_table), "the export waiting on a lock"
        )
        pid = worker.pool_pid(name=build_export.name, args=[export.pk])
        os.kill(pid, signal.SIGKILL)
        wait_until(
            lambda: "WorkerLostError" in worker.log.read_text(),
            "the worker noticing its lost process",
        )
    wait_until(lambda: backend_gone(orphan), "the killed export's connection ending")
    export.refresh_from_db()
    assert export.status == ReportExport.Status.RUNNING
    # A redelivery of its task does not start it twice: it is someone's (a lost
    # worker's) until it times out.
    assert build_export.delay(export.pk).get(timeout=WAIT) == "running"
    # Within Celery's hard time limit the job may still be running: left alone.
    assert export_housekeeping.delay().get(timeout=WAIT)["failed"] == 0
    # Past it (the clock moved on), housekeeping fails it with a message.
    ReportExport.objects.filter(pk=export.pk).update(
        started_at=F("started_at") - running_timeout()
    )
    assert export_housekeeping.delay().get(timeout=WAIT)["failed"] == 1
    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.error == "timed out: its worker stopped before finishing it"
    assert not export.file
    client = Client()
    client.force_login(official)
    page = client.get(f"/reports/exports/{export.pk}/").content.decode()
    assert 'data-status="failed"' in page and 'role="alert"' in page
    # Failed stays failed, and asking again works.
    assert build_export.delay(export.pk).get(timeout=WAIT) == "failed"
    again = export_request(
        user=official, report="county_sales", params=REPORT_FILTERS, file_format="csv"
    )
    wait_until(
        lambda: ReportExport.objects.get(pk=again.pk).status == "done",
        "the new export",
    )
    again.refresh_from_db()
    assert again.file.read().decode("utf-8-sig").startswith("summary")


# --- Duplicate delivery ------------------------------------------------------------


def test_a_duplicated_email_task_sends_one_email(worker):
    order = place_order()  # awaiting payment: nobody was notified yet
    recipient = order.farmer.user
    notification = Notification.objects.create(
        recipient=recipient,
        kind=Notification.Kind.ORDER_PAID,
        order=order,
        email=Notification.Email.PENDING,
    )
    # The same message twice (one task id) and the outbox sweep, all at once.
    message = f"mail-{uuid.uuid4()}"
    for _ in range(2):
        send_notification_email.apply_async([notification.pk], task_id=message)
    swept = deliver_notification_outbox.delay().get(timeout=WAIT)
    sent = worker.deliveries(message)
    assert sent in (["False", "True"], ["False", "False"])
    assert sent.count("True") + swept == 1
    notification.refresh_from_db()
    assert notification.email == Notification.Email.SENT
    assert notification.email_attempts == 1
    assert len(worker.mails_to(recipient.email)) == 1


def test_a_duplicated_rollup_gives_the_same_rows(worker):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=50)
    for quantity in (1, 4):
        order_pay(order=place_order(product=product, quantity=quantity))
    # Both deliveries read the dirty day, then queue on the rebuild lock.
    message = f"rollup-{uuid.uuid4()}"
    with lock_held("SELECT pg_advisory_xact_lock(%s)", [rollups.REBUILD_LOCK]):
        for _ in range(2):
            rebuild_dirty_days.apply_async(task_id=message)
        wait_until(
            lambda: len(waiting_on_locks("pg_advisory_xact_lock")) == 2,
            "both rebuilds waiting on the rebuild lock",
        )
    today = timezone.localdate().isoformat()
    assert worker.deliveries(message) == [f"['{today}']"] * 2
    rows = summary_rows()
    assert rows == clean_rebuild_rows()
    assert DailySales.objects.get().orders == 2
    assert not DirtyDay.objects.exists()


def test_a_duplicated_export_writes_one_file(
    worker,
    county_c,  # noqa: F811
    settings,
):
    settings.PRIVATE_MEDIA_ROOT = worker.private_media
    official = county_c[1]
    export = ReportExport.objects.create(
        requested_by=official,
        report="county_sales",
        params=REPORT_FILTERS,
        format="csv",
    )
    read_table = MonthlySales._meta.db_table  # the county sales report reads it
    message = f"export-{uuid.uuid4()}"
    with lock_held(f"LOCK TABLE {read_table} IN ACCESS EXCLUSIVE MODE"):
        build_export.apply_async([export.pk], task_id=message)
        wait_until(lambda: waiting_on_locks(read_table), "the export waiting")
        # The same message again while the first is building: it leaves it be.
        build_export.apply_async([export.pk], task_id=message)
        assert worker.deliveries(message, count=1) == ["'running'"]
    assert worker.deliveries(message) == ["'done'", "'running'"]
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    folder = worker.private_media / "exports" / str(official.pk)
    assert [path.name for path in folder.iterdir()] == [Path(export.file.name).name]


def test_a_duplicated_expiry_releases_the_stock_once(worker):
    product = ProductFactory(status=ProductStatus.ACTIVE, stock=10)
    order = place_order(product=product, quantity=3)  # awaiting payment
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Product.objects.get(pk=product.pk).stock == 7
    table = Order._meta.db_table
    message = f"expire-{uuid.uuid4()}"
    with lock_held(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [order.pk]):
        for _ in range(2):
            expire_unpaid_orders.apply_async(task_id=message)
        wait_until(
            lambda: len(waiting_on_locks(table)) == 2, "both expiries on the order"
        )
    assert worker.deliveries(message) == ["0", "1"]
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 10
    assert (
        OrderEvent.objects.filter(order=order, type=OrderEvent.Type.EXPIRED).count()
        == 1
    )


def test_a_duplicated_alerts_job_alerts_once(worker):
    assignment = AssignmentFactory()  # a farmer with no listing: needs help
    assistant = assignment.assistant.user
    table = HelpCase._meta.db_table
    message = f"alerts-{uuid.uuid4()}"
    with lock_held(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"):
        for _ in range(2):
            alert_farmers_needing_help.apply_async(task_id=message)
        wait_until(lambda: len(waiting_on_locks(table)) == 2, "both alert runs waiting")
    runs = [ast.literal_eval(run) for run in worker.deliveries(message)]
    cases = HelpCase.objects.filter(farmer=assignment.farmer, closed_at__isnull=True)
    assert cases.exists()
    assert sum(run["opened"] for run in runs) == cases.count()
    alerts = Notification.objects.filter(recipient=assistant)
    assert alerts.count() == cases.count()
    wait_until(
        lambda: not alerts.filter(email=Notification.Email.PENDING).exists(),
        "the alerts' e-mails",
    )
    assert len(worker.mails_to(assistant.email)) == cases.count()


# --- PostgreSQL restarted ------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    """GET through gunicorn as the TLS proxy would; a reset or a hang raises."""
    request = urllib.request.Request(
        url, headers={"Host": "localhost", "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serving(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:  # not listening yet
        return False


def test_a_postgres_restart_fails_the_request_in_flight_cleanly_and_the_next_succeed(
    stack_env, tmp_path
):
    ProductFactory(status=ProductStatus.ACTIVE)
    subprocess.run(  # as the image build does, so pages find their static files
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=stack_env,
        check=True,
        timeout=120,
    )
    base = f"http://127.0.0.1:{stack_env['PORT']}"
    # A search never served whole from the page cache, and a new one each time so
    # its results are not cached either: each request reads the products.
    searches = itertools.count()

    def catalogue() -> str:
        return f"{base}/products/?q=fault{next(searches)}"

    products = Product._meta.db_table
    lock = f"LOCK TABLE {products} IN ACCESS EXCLUSIVE MODE"
    log = tmp_path / "web.log"
    pool = ThreadPoolExecutor(max_workers=2)

    def both_workers_answer() -> list[int]:
        """Two requests at once, each held on the lock until both wait: so each of
        the two gunicorn workers serves one."""
        with lock_held(lock):
            requests = [pool.submit(fetch, catalogue()) for _ in range(2)]
            wait_until(
                lambda: len(waiting_on_locks(products)) == 2,
                "a request on each gunicorn worker reaching the database",
            )
        return [request.result(timeout=WAIT)[0] for request in requests]

    with running("web", stack_env, log) as web:
        wait_for(lambda: serving(f"{base}/healthz"), web, log)
        # Each worker now keeps its connection open (CONN_MAX_AGE).
        assert both_workers_answer() == [200, 200]
        with lock_held(lock):
            in_flight = pool.submit(fetch, catalogue())
            (waiter,) = wait_until(
                lambda: waiting_on_locks(products), "the request in flight"
            )
            # A restart ends every backend, the lock holder's too; if the holder's
            # went first, the request's query could take the lock and finish before
            # its own backend ended. So its backend ends first, as the restart would
            # end it, while the lock still holds it; then PostgreSQL restarts.
            terminate_backend(waiter)
            wait_until(lambda: backend_gone(waiter), "the request's connection ending")
            restart_postgres()
            connection.close()  # this process's own connection died with it
        status, body = in_flight.result(timeout=WAIT)
        # The other worker's kept connection is dead too: CONN_HEALTH_CHECKS sees
        # it before use, so it reconnects instead of failing a request.
        assert both_workers_answer() == [200, 200]
    pool.shutdown()
    assert status == 500
    assert "Server Error (500)" in body
    assert "OperationalError" in log.read_text()
