"""Bearer tokens are kept a short, bounded time per process (API_TOKEN_CACHE_SECONDS): what only the database
knows (a revocation, a deactivation, a change of scopes made by another process) takes effect within that bound;
a revocation or deactivation made through the services takes effect at once in the process that made it; an
entry never outlives the token's expiry."""

import datetime as dt
import time

from django.utils import timezone

from ciqcredit.actors import Actor
from ciqcredit.organizations.accounts import user_deactivate
from ciqcredit.organizations.models import ApiToken, User
from ciqcredit.organizations.services import token_revoke

BOUND = 0.3  # seconds, short for the test; production: 1 s (settings)


def _status(cast, token: str) -> int:
    return cast.api(token).get("/api/v1/organizations").status_code


def _token(secret: str) -> ApiToken:
    return ApiToken.objects.get(prefix=secret[:10])


def test_a_token_revoked_in_the_database_is_refused_within_the_bound(cast, settings):
    settings.API_TOKEN_CACHE_SECONDS = BOUND
    assert _status(cast, cast.api_token) == 200
    ApiToken.objects.filter(pk=_token(cast.api_token).pk).update(revoked_at=timezone.now())  # as another process would
    started = time.monotonic()
    while _status(cast, cast.api_token) == 200 and time.monotonic() - started < 3 * BOUND:
        pass
    refused_after = time.monotonic() - started
    assert _status(cast, cast.api_token) == 401
    assert refused_after <= BOUND + 0.1


def test_changed_scopes_apply_within_the_bound(cast, settings):
    settings.API_TOKEN_CACHE_SECONDS = BOUND
    assert _status(cast, cast.api_token) == 200  # organizations: any client may list them
    grade = f"/api/v1/enterprises/{cast.enterprise.credit_code}/grade"
    assert cast.api(cast.api_token).get(grade).status_code == 200
    User.objects.filter(pk=cast.api_client.pk).update(scopes=[])  # as another process would
    time.sleep(BOUND + 0.05)
    refused = cast.api(cast.api_token).get(grade)
    assert refused.status_code == 403 and refused.json()["code"] == "missing_scope"


def test_revocation_and_deactivation_through_the_services_apply_at_once(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.API_TOKEN_CACHE_SECONDS = 60  # far longer than the test: only the services' own forgetting helps
    assert _status(cast, cast.api_token) == 200
    with django_capture_on_commit_callbacks(execute=True):
        token_revoke(token=_token(cast.api_token), actor=Actor.of(cast.hq_admin))
    assert _status(cast, cast.api_token) == 401

    assert _status(cast, cast.staff_token_a) == 200
    with django_capture_on_commit_callbacks(execute=True):
        user_deactivate(user=cast.bureau_a_user, actor=Actor.of(cast.hq_admin), reason="借调结束")
    assert _status(cast, cast.staff_token_a) == 401


def test_a_cached_token_is_not_used_past_its_expiry(cast, settings):
    settings.API_TOKEN_CACHE_SECONDS = 60
    token = _token(cast.api_token)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(seconds=BOUND))
    assert _status(cast, cast.api_token) == 200
    time.sleep(BOUND + 0.05)
    assert _status(cast, cast.api_token) == 401
