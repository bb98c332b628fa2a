"""/healthz: the state of the database and the broker, for compose and balancers;
and, with a read replica, its state and how far its replay is behind the primary
(a replica down is reported, not fatal: the reports read the primary)."""

from contextlib import suppress

import redis
from django.conf import settings
from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common.replica import REPLICA, replica_configured

OK, EAGER, DOWN = "ok", "eager", "down"
# Seconds since the last transaction replayed, 0 when it has replayed all it got.
REPLICA_LAG = """
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return DOWN
    return OK


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except redis.RedisError:
        return DOWN
    finally:
        client.close()
    return OK


def replica_state() -> dict:
    """The replica's state and replication lag in seconds (None when unknown)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(REPLICA_LAG)
            lag = cursor.fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means the replica is not usable
        with suppress(Exception):
            connections[REPLICA].close()
        return {"replica": DOWN, "replication_lag_seconds": None}
    lag = round(float(lag), 3) if lag is not None else None
    return {"replica": OK, "replication_lag_seconds": lag}


@never_cache
@require_GET
def healthz(request):
    state = {"database": database_state(), "broker": broker_state()}
    if replica_configured():
        state |= replica_state()
    return JsonResponse(state, status=200 if state["database"] == OK else 503)
