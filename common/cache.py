"""The cache (throttle counters only) fails open: when Redis does not answer, a read misses and
a write is dropped, so an outage lifts the rate limits for a while instead of failing sign-in,
enrollment and check-ins. By design, a check-in's decision never depends on Redis being up.

A Redis that is down refuses at once; a hung one (connections open, nothing answered) costs the
socket timeout (STRIDE_CACHE_TIMEOUT_SECONDS, a fraction of a second). A request waits for it at
most once: after one failure the cache is skipped for the rest of that request (or Celery
task), so a throttle's read and write do not both wait.
"""

import logging
import threading
from typing import Any

from celery.signals import task_prerun
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import request_started
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_state = threading.local()


def cache_outage_forget(**kwargs: Any) -> None:
    """A new request or task tries Redis again."""
    _state.failed = False


request_started.connect(cache_outage_forget, dispatch_uid="stride-cache-outage-forget")
task_prerun.connect(cache_outage_forget, dispatch_uid="stride-cache-outage-forget", weak=False)


def _skipped() -> bool:
    return bool(getattr(_state, "failed", False))


def _unavailable(exc: Exception) -> None:
    _state.failed = True
    logger.warning("cache unavailable (%s): rate limits are not applied", type(exc).__name__)


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client builds a `redis.Redis` around its connection pool for every call (its
    response-callback table alone is a few hundred dict writes); one per pool does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        this: Any = self  # Django's attributes, which its type stubs do not declare
        index = this._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in this._pools:
                this._pools[index] = this._pool_class.from_url(
                    this._servers[index], **this._pool_options
                )
            client = self._clients[index] = this._client(connection_pool=this._pools[index])
        return client


class FailOpenRedisCache(RedisCache):
    def __init__(self, server: Any, params: Any) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        if _skipped():
            return default
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _unavailable(exc)
            return default

    def get_many(self, keys: Any, version: Any = None) -> Any:
        if _skipped():
            return {}
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _unavailable(exc)
            return {}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        if _skipped():
            return
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _unavailable(exc)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        if _skipped():
            return False
        try:
            return bool(super().add(key, value, timeout, version))
        except RedisError as exc:
            _unavailable(exc)
            return False

    def hit(self, key: Any, window: int, version: Any = None) -> tuple[int, int] | None:
        """Count one hit on the counter `key`, whose window opens at its first hit and lasts
        `window` seconds, in one round trip: (hits so far in the window, seconds until it
        closes), or None when Redis does not answer. The rate limits' counter: a read and a
        write of a list of times (DRF's way) cost two round trips on every limited request."""
        if _skipped():
            return None
        key = self.make_and_validate_key(key, version=version)
        this: Any = self  # Django's `_cache`, which its type stubs do not declare
        try:
            # MULTI/EXEC: the window cannot close between the SET and the INCR (an INCR of
            # an expired key would start a counter that never expires).
            pipe = this._cache.get_client(key, write=True).pipeline(transaction=True)
            pipe.set(key, 0, ex=window, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = pipe.execute()
        except RedisError as exc:
            _unavailable(exc)
            return None
        return int(count), max(int(ttl), 1)

    def delete(self, key: Any, version: Any = None) -> bool:
        if _skipped():
            return False
        try:
            return bool(super().delete(key, version))
        except RedisError as exc:
            _unavailable(exc)
            return False
