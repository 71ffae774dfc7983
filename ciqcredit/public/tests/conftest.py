import pytest
from django.core.cache import cache

from ciqcredit.dynamic.tests.conftest import web, world  # noqa: F401  (the dynamic tests' world: cast, items, date)
from ciqcredit.public.ratelimit import limiter_reset


@pytest.fixture(autouse=True)
def _fresh_public_state(settings):
    """Each test starts with empty buckets and an empty cache, and a rate limit no ordinary test reaches."""
    settings.PUBLIC_RATE_LIMIT = 1000.0
    settings.PUBLIC_RATE_BURST = 1000.0
    limiter_reset()
    cache.clear()
    yield
    limiter_reset()
    cache.clear()
