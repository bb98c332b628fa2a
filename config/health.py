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
# How far the replica's replay is behind what it has received from the primary:
# in bytes of WAL, and in seconds since the last transaction it replayed (0 when
# it has replayed all it got; NULL when it has replayed none since it started).
REPLICA_LAG = """
SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),
CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
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
    """The replica's state and replication lag, in bytes and seconds (None when
    unknown)."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(REPLICA_LAG)
            behind, seconds = cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the replica is not usable
        with suppress(Exception):
            connections[REPLICA].close()
        behind = seconds = None
        state = DOWN
    else:
        state = OK
    return {
        "replica": state,
        "replication_lag_bytes": int(behind) if behind is not None else None,
        "replication_lag_seconds": round(float(seconds), 3)
        if seconds is not None
        else None,
    }


@never_cache
@require_GET
def healthz(request):
    state = {"database": database_state(), "broker": broker_state()}
    if replica_configured():
        state |= replica_state()
    return JsonResponse(state, status=200 if state["database"] == OK else 503)
