"""Bearer-token authentication of the API: the client's rate limit, and scopes checked before any body is read.

The token → user lookup is kept per worker process for `API_TOKEN_CACHE_SECONDS` (default 1 s; never past the
token's expiry): the hot paths (release decisions, grade lookups) then pay no query for it. A revoked token, a
deactivated or expired account and changed scopes are seen by every worker within that bound, and at once by the
process that revoked or deactivated (those services empty the cache of their process after the commit).
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from ciqcredit import clock
from ciqcredit.errors import RateLimited
from ciqcredit.organizations import tokencache
from ciqcredit.organizations.access import require_scope
from ciqcredit.organizations.models import User
from ciqcredit.organizations.ratelimit import wait_seconds
from ciqcredit.organizations.services import token_digest, token_lookup


def bearer_user(secret: str) -> User | None:
    """The user behind a bearer token (None: unknown, revoked, expired or inactive), from this process's cache
    while its entry is fresh, else from the database. An entry lasts API_TOKEN_CACHE_SECONDS, and never past the
    token's own expiry."""
    ttl = settings.API_TOKEN_CACHE_SECONDS
    if ttl <= 0:
        token = token_lookup(secret)
        return token.user if token is not None else None
    digest = token_digest(secret)
    token = tokencache.cached(digest)
    if token is None:
        token = token_lookup(secret)
        if token is None:
            return None
        if token.expires_at is not None:
            ttl = min(ttl, (token.expires_at - clock.now()).total_seconds())
        tokencache.keep(digest, token, ttl)
    return token.user


RATE_TAKEN = "ciqcredit_rate_taken"
"""Request attribute: the client whose rate-limit token this request has already taken (one per request)."""


def rate_admit(user: User) -> None:
    """Take one token of the client's rate limit, or answer 429 with the seconds to wait."""
    wait = wait_seconds(user)
    if wait:
        raise RateLimited(wait)


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` for systems and staff scripts, within the client's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = bearer_user(token)
        if user is None:
            return None
        self.admit(user)
        if getattr(request, RATE_TAKEN, None) != user.pk:  # the hot path may have taken this request's token
            rate_admit(user)
        request.user = user
        return user

    def admit(self, user: User) -> None:
        """What a kind of token must carry besides being valid (nothing here)."""


class ScopedBearer(BearerToken):
    """A system's token that must carry `scope`, checked at authentication: a client without the scope gets
    403 before its body is read, however large or deeply nested it is."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> User | None:
        person = getattr(request, "user", None)
        if "Authorization" not in request.headers and person is not None and person.is_authenticated:
            require_scope(person, self.scope)  # a logged-in person is known, and refused (403, not 401)
        return super().__call__(request)

    def admit(self, user: User) -> None:
        require_scope(user, self.scope)
