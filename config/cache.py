"""The Redis cache, tolerant of a Redis outage.

Nothing the cache holds is the only copy of anything (sessions and sign-in attempts
live in the database): it counts API and form rate limits and keeps the
catalogue's rendered results (catalogue.selectors). So when Redis cannot
be reached, a read is a miss and a write is skipped, with a warning in the log,
instead of an exception that would turn every page and the checkout into a 500.
Rate limits do not count while Redis is down (docs/OPERATIONS.md). Errors other than
"unreachable" (a wrong command, say) still raise: they are bugs, not outages.
"""

import logging
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisUnreachable
from redis.exceptions import TimeoutError as RedisTimeout

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisUnreachable, RedisTimeout)


def _tolerant(method, fallback):
    """`method`, answering `fallback(*args)` when Redis cannot be reached."""

    @wraps(method)
    def call(self, *args):
        try:
            return method(self, *args)
        except UNREACHABLE as exc:
            logger.warning("cache unreachable, %s skipped: %s", method.__name__, exc)
            return fallback(*args)

    return call


def _missing(key, delta):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class OutageTolerantClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        """One Redis client per connection pool, kept (Django makes a new one at
        every call, which cost about a third of a cached page here; a client is
        safe to share between threads, its pool hands out the connections)."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _tolerant(RedisCacheClient.add, lambda *args: False)
    get = _tolerant(RedisCacheClient.get, lambda key, default: default)
    set = _tolerant(RedisCacheClient.set, lambda *args: None)
    touch = _tolerant(RedisCacheClient.touch, lambda *args: False)
    delete = _tolerant(RedisCacheClient.delete, lambda *args: False)
    get_many = _tolerant(RedisCacheClient.get_many, lambda *args: {})
    has_key = _tolerant(RedisCacheClient.has_key, lambda *args: False)
    incr = _tolerant(RedisCacheClient.incr, _missing)
    set_many = _tolerant(RedisCacheClient.set_many, lambda *args: None)
    delete_many = _tolerant(RedisCacheClient.delete_many, lambda *args: None)
    clear = _tolerant(RedisCacheClient.clear, lambda *args: False)


class OutageTolerantRedisCache(RedisCache):
    """Django's RedisCache on OutageTolerantClient. Give it short socket timeouts
    (OPTIONS) so an unreachable host costs a request a second, not a minute."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OutageTolerantClient
