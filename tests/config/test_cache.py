"""The Redis cache treats an unreachable Redis as a miss, never as an error, so a
Redis outage cannot turn pages or the throttled checkout into a 500. (The real
outage, with the pages and the checkout, is in tests/services/test_faults.py.)"""

import logging
import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from config.cache import OutageTolerantRedisCache


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cache_at(backend, port: int):
    return backend(
        f"redis://127.0.0.1:{port}/1",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def test_djangos_own_redis_cache_raises_when_redis_is_down():
    """Why the project has its own backend."""
    from redis.exceptions import ConnectionError as RedisUnreachable

    with pytest.raises(RedisUnreachable):
        cache_at(RedisCache, closed_port()).get("throttle_checkout_1")


def test_an_unreachable_redis_is_a_miss_and_writes_are_skipped(caplog):
    cache = cache_at(OutageTolerantRedisCache, closed_port())
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("history", default=[]) == []
        assert cache.set("history", [1]) is None
        assert cache.add("history", [1]) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == []
        assert cache.has_key("a") is False
        assert cache.touch("a") is False
        assert cache.delete("a") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.get_or_set("a", 5) == 5
        assert cache.clear() is False
        with pytest.raises(ValueError, match="not found"):
            cache.incr("a")
    assert "cache unreachable, get skipped" in caplog.text
