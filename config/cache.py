"""The cache (throttle counters only) fails open: when Redis does not answer, a read misses and
a write is dropped, so an outage lifts the rate limits for a while instead of failing sign-in,
enrollment and check-ins. DESIGN: a check-in's decision never depends on Redis being up."""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _unavailable(exc: Exception) -> None:
    logger.warning("cache unavailable (%s): rate limits are not applied", type(exc).__name__)


class FailOpenRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _unavailable(exc)
            return default

    def get_many(self, keys: Any, version: Any = None) -> Any:
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _unavailable(exc)
            return {}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _unavailable(exc)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except RedisError as exc:
            _unavailable(exc)
            return False

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except RedisError as exc:
            _unavailable(exc)
            return False
