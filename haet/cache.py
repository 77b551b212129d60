"""The Redis cache, with a local-memory fallback while Redis is unreachable.

What fails which way when Redis is down:

- The cache fails *open for availability*: every operation that cannot reach Redis
  is answered by this process's local memory instead, with a warning in the log.
  Nothing in haet keeps data in the cache that is not recomputable, so a miss or a
  per-process value is only ever slower, never wrong.
- Security decisions fail *closed*. Permissions, roles and conflicts of interest are
  read from the database, never from the cache, so Redis being down cannot grant
  anything. The sign-in rate limits (django-allauth counts attempts in the cache)
  keep counting, per process, in the fallback: an outage can at worst multiply the
  allowed attempts by the number of web processes; it never switches limits off and
  never locks anyone out.
- Sessions live in the database (`SESSION_ENGINE` in settings) and mail waits in the
  outbox table, so nobody is signed out and no request is lost.

After a failure the fallback answers alone for `RETRY_AFTER` seconds (a circuit
breaker), so an outage costs one short connection timeout per process and window,
not one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 30.0  # seconds without trying Redis after it failed
# Short socket timeouts: a dead or hung Redis must not hold a web request for long.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    import redis

    # redis' ConnectionError and TimeoutError cover refused, reset and hung
    # connections; OSError covers what the socket layer raises before redis wraps it.
    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class FallbackRedisCache(RedisCache):
    """Django's RedisCache; while Redis is unreachable, a LocMemCache answers."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"haet-fallback:{server}",
            {k: v for k, v in params.items() if k not in {"OPTIONS", "LOCATION"}},
        )
        self._down_until = 0.0
        self._errors = _unreachable_errors()

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except self._errors as exc:
                self._down_until = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "cache: Redis unreachable (%s: %s); local memory answers for %ss",
                    type(exc).__name__,
                    exc,
                    RETRY_AFTER,
                )
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
