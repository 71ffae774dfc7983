"""API rate limits per client: 429 with Retry-After in the one error format when a client runs away, and
never at e-CIQ's documented production rate (3,000 release decisions a second over 2 workers)."""

from ciqcredit.organizations.ratelimit import TokenBucket


def test_a_client_over_its_limit_gets_429_with_retry_after(cast, settings):
    settings.API_RATE_LIMITS = {cast.api_client.username: 1.0}  # one a second, bursts of two
    settings.API_RATE_BURST_SECONDS = 2.0
    client = cast.api(cast.api_token)
    assert [client.get("/api/v1/organizations").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/organizations")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert refused.json() == {
        "code": "rate_limited",
        "message": "请求过于频繁，请 1 秒后重试",
        "details": {"retry_after": 1},
    }
    # Limits are per client: the bureau officer's token is not slowed by the system's.
    assert cast.api(cast.staff_token_a).get("/api/v1/organizations").status_code == 200


def test_scope_refusal_comes_before_the_rate_limit(cast, settings):
    settings.API_RATE_LIMITS = {cast.bureau_a_user.username: 0.001}
    settings.API_RATE_BURST_SECONDS = 1000.0  # exactly one request
    client = cast.api(cast.staff_token_a)
    assert client.post("/api/v1/intake/eciq", "{}", content_type="application/json").status_code == 403


def test_the_default_limit_is_never_reached_at_e_ciq_production_rates(settings):
    """3,000 requests a second for 10 s, all on one worker (the worst balance of 2 workers): none refused."""
    bucket = TokenBucket(settings.API_RATE_LIMIT, settings.API_RATE_LIMIT * settings.API_RATE_BURST_SECONDS)
    refused = sum(bucket.take("eciq", now=i / 3000) > 0 for i in range(30_000))
    assert refused == 0


def test_the_bucket_refills_at_its_rate():
    bucket = TokenBucket(rate=10, burst=5)
    assert [bucket.take("c", now=0.0) for _ in range(5)] == [0.0] * 5
    assert bucket.take("c", now=0.0) == 0.1  # the next token in a tenth of a second
    assert bucket.take("c", now=0.1) == 0.0
    assert bucket.take("other", now=0.1) == 0.0
