"""Per-client API rate limits: a token bucket per client, in process memory.

Cheap on the hot path (a dict lookup and a little arithmetic under a lock, no I/O), so it can sit in front
of the release-decision endpoint. Each worker process keeps its own buckets: with N workers a client can
reach N × the configured rate at most, and the limit is set per worker accordingly (docs/production.md).
"""

import threading
import time
from dataclasses import dataclass

from django.conf import settings


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBucket:
    """`rate` requests per second on average, bursts up to `burst`; `take` answers 0 (admitted) or the seconds
    to wait before the next request would be."""

    def __init__(self, rate: float, burst: float):
        self.rate, self.burst = rate, burst
        self._buckets: dict[object, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: object, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate


_limiters: dict[tuple[float, float], TokenBucket] = {}


def _limiter_for(username: str) -> TokenBucket | None:
    rate = settings.API_RATE_LIMITS.get(username, settings.API_RATE_LIMIT)
    if rate <= 0:
        return None
    key = (rate, rate * settings.API_RATE_BURST_SECONDS)
    limiter = _limiters.get(key)
    if limiter is None:
        limiter = _limiters.setdefault(key, TokenBucket(*key))
    return limiter


def wait_seconds(user) -> float:
    """0 when the client may go on, else how long it should wait (the Retry-After of its 429)."""
    limiter = _limiter_for(user.username)
    return limiter.take(user.pk) if limiter is not None else 0.0
