"""The enterprise-only guard of the portal: its pages and the `me` API answer an enterprise user only, and only
about that user's own enterprise.

Everything the portal reads starts from `enterprise_of(user)`; an object of the portal is then looked up among
that enterprise's own rows, so another enterprise's object answers 404 (existence does not leak). Staff are
refused (403): the staff pages show the same data with their own scoping.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja.security import HttpBearer, SessionAuth

from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, Forbidden, NotFound, RateLimited
from ciqcredit.organizations.models import User
from ciqcredit.organizations.ratelimit import wait_seconds
from ciqcredit.organizations.services import token_authenticate
from ciqcredit.pages import AuthedRequest

ENTERPRISE_ONLY = "此功能仅限企业用户使用"


def enterprise_of(user: User) -> Enterprise:
    """The enterprise an enterprise user acts for; anyone else is refused."""
    if user.is_system or not user.is_enterprise_user or user.enterprise_id is None:
        raise Forbidden(ENTERPRISE_ONLY, code="enterprise_only")
    enterprise = user.enterprise
    assert enterprise is not None
    return enterprise


class PortalRequest(AuthedRequest):
    """The request a `@portal_page` view receives: an enterprise user and their enterprise."""

    enterprise: Enterprise


View = Callable[..., HttpResponseBase]


def portal_page(view: View) -> View:
    """A page of the portal: logged in, an enterprise user (403 otherwise), `request.enterprise` set; domain
    errors become the Chinese 404/403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        user = request.user
        assert isinstance(user, User), "login_required let an anonymous visitor through"
        try:
            request.enterprise = enterprise_of(user)  # type: ignore[attr-defined]  # PortalRequest
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return login_required(wrapper)


class EnterpriseBearer(HttpBearer):
    """An enterprise user's token (`ciqcredit create_token USERNAME`), within the per-client rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None:
            return None
        enterprise_of(user)  # a staff or system token is refused (403), not treated as absent
        wait = wait_seconds(user)
        if wait:
            raise RateLimited(wait)
        request.user = user
        return user


class EnterpriseSession(SessionAuth):
    """The browser session of a logged-in enterprise user (CSRF-checked on unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        assert isinstance(user, User)
        enterprise_of(user)
        return user


ENTERPRISE_AUTH = [EnterpriseBearer(), EnterpriseSession()]


def me(request: HttpRequest) -> tuple[User, Enterprise]:
    """The enterprise user behind a `me` API request and their enterprise."""
    user = request.auth  # type: ignore[attr-defined]  # set by django-ninja's authentication
    return user, enterprise_of(user)


def portal_submit(request: HttpRequest, submit: Callable[[], Any], done: str | Callable[[Any], str]) -> bool:
    """Run a portal form's service: True when it was carried out, with `done` (or `done(result)`) said on the next
    page; a refusal is said on the page it came from, except an object that is not the enterprise's: a 404."""
    try:
        result = submit()
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True
