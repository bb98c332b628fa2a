"""The read replica's state in this process: whether the summary tables are read
from it now, and marking it down when it fails, so that reads go back to the
primary for REPLICA_RETRY_SECONDS (config.routers routes by it; reports.cache
marks it down)."""

import time
from contextlib import suppress

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_down_until = {"at": 0.0}  # when to try the replica again (time.monotonic)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_in_use() -> bool:
    """Whether the summary tables are read from the replica now."""
    return replica_configured() and time.monotonic() >= _down_until["at"]


def replica_down() -> None:
    """The replica failed: read the primary for REPLICA_RETRY_SECONDS, and drop
    the broken connection."""
    _down_until["at"] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    with suppress(Exception):  # a dead connection may fail to close
        connections[REPLICA].close()


def replica_back() -> None:
    """Try the replica again at the next read (tests, and an operator's shell)."""
    _down_until["at"] = 0.0
