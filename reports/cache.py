"""The report result cache. A report's result, and its rendered figures and tables,
are kept under a key of the report, its filters, the viewer's scope, the language,
and the versions of what it reads:
- each county's rollup version, which the rollups bump when they rebuild a day of
  that county (on commit), and a version of every rollup, which a full rebuild
  bumps;
- a version of each kind of record the report reads beyond the rollups
  (Report.records: households, surveys, visits...), bumped when one is saved or
  deleted (reports.receivers) or written in bulk (common.signals.records_written).
A version is a fresh random value, so a version lost from the cache is a miss,
never an old result. REPORT_CACHE_SECONDS bounds what no version covers (the
names of products and categories).

With a read replica, a bump records the primary's WAL position, and a result read
from a replica that has not replayed that far is shown but not kept. A replica
that fails while a report runs is marked down (config.routers) and the report
runs again on the primary."""

import hashlib
import json
import logging
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, connections, transaction
from django.utils.translation import get_language

from common.replica import REPLICA, replica_configured, replica_down, replica_in_use

log = logging.getLogger(__name__)
EVERY_ROLLUP = "reports:v:rollups"


def county_key(county_id) -> str:
    return f"reports:v:county:{county_id}"


def records_key(label: str) -> str:
    return f"reports:v:records:{label.lower()}"


def _new_version() -> str:
    """A fresh version; with a replica, also the primary's WAL insert position now
    (the rollup's commit is at or before it; the write position may not be yet,
    with asynchronous commits)."""
    version = uuid4().hex
    if replica_configured() and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            version += f"@{cursor.fetchone()[0]}"
    return version


def _write_versions(keys) -> None:
    cache.set_many(dict.fromkeys(keys, _new_version()), None)


def bump(keys) -> None:
    """New versions for `keys`: now, for views inside this transaction (which see
    its rows), and again once it commits, as a view elsewhere may have kept the
    figures before the commit under the first. The second is one write per
    transaction, however many rows it saves."""
    keys = set(keys)
    if not keys:
        return
    _write_versions(keys)
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "report_versions_pending", None)
    waiting = [entry[1] for entry in connection.run_on_commit]
    if pending is not None and pending[0] in waiting:
        pending[1].update(keys)
        return
    # None waiting, or its callback went with a rolled-back savepoint (its keys
    # are bumped with these: a bump too many is only a miss).
    keys |= pending[1] if pending else set()

    def flush():
        connection.report_versions_pending = None
        _write_versions(keys)

    connection.report_versions_pending = (flush, keys)
    transaction.on_commit(flush)


def rollups_rebuilt(county_ids=None) -> None:
    """The rollups rewrote these counties' rows (None: every county's)."""
    if county_ids is None:
        bump([EVERY_ROLLUP])
    else:
        bump(county_key(pk) for pk in county_ids)


def records_changed(label: str) -> None:
    bump([records_key(label)])


def _versions(keys: list[str]) -> list[str]:
    found = cache.get_many(keys)
    missing = {key: uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
    return [found.get(key) or missing[key] for key in keys]


def _replica_has_replayed(versions: list[str]) -> bool:
    """Whether the replica shows every commit these versions were bumped after."""
    positions = [version.split("@")[1] for version in versions if "@" in version]
    if not positions:
        return True
    with connections[REPLICA].cursor() as cursor:
        checks = " AND ".join(
            ["pg_last_wal_replay_lsn() >= %s::pg_lsn"] * len(positions)
        )
        cursor.execute(f"SELECT COALESCE({checks}, true)", positions)  # noqa: S608
        return cursor.fetchone()[0]


def on_replica_or_primary(run):
    """`run()`; if the replica fails meanwhile, marked down and run on the primary."""
    if not replica_in_use():
        return run()
    try:
        return run()
    except DatabaseError:
        log.warning("the read replica failed; reading the primary", exc_info=True)
        replica_down()
        return run()


class CachedReport:
    """One report for one viewer's filters: `result()` and `html(render)`, each
    computed once per version of what it reads."""

    def __init__(self, report, filters):
        self.report, self.filters = report, filters
        self._key = None

    def key(self) -> str:
        if self._key is None:
            scope = sorted(county.pk for county in self.filters.counties)
            params = {
                name: str(self.filters.data.get(name, ""))
                for name in self.filters.fields
            }
            keys = [EVERY_ROLLUP, *map(county_key, scope)]
            keys += [records_key(label) for label in self.report.records]
            self.versions = _versions(keys)
            described = json.dumps([params, scope, self.versions], sort_keys=True)
            digest = hashlib.sha256(described.encode()).hexdigest()
            self._key = f"reports:{self.report.slug}:{get_language()}:{digest}"
        return self._key

    def _kept(self, suffix: str, compute):
        if not self.report.cached:
            return compute()
        key = f"{self.key()}:{suffix}"
        value = cache.get(key)
        if value is None:
            read_replica = replica_in_use()
            value = on_replica_or_primary(compute)
            if self._current(read_replica and replica_in_use()):
                cache.set(key, value, settings.REPORT_CACHE_SECONDS)
        return value

    def _current(self, from_replica: bool) -> bool:
        """Whether what was read is as new as the versions (from the primary it
        is; from the replica once it has replayed their commits)."""
        if not from_replica:
            return True
        try:
            return _replica_has_replayed(self.versions)
        except DatabaseError:
            replica_down()
            return False

    def result(self):
        return self._kept("result", lambda: self.report.run(self.filters))

    def html(self, render) -> str:
        """The rendered result (`render()`, a string the same for every viewer of
        this key)."""
        return self._kept("html", render)
