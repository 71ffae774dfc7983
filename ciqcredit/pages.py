"""What every staff page shares: login, role checks, and domain errors answered as HTTP pages.

Services and selectors raise `NotFound`/`Forbidden`; a page turns them into Django's 404/403 so the
Chinese error templates (ciqcredit/web/templates/404.html, 403.html) answer, and out-of-scope objects look absent.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.access import require_role, require_staff
from ciqcredit.organizations.models import User

View = Callable[..., HttpResponseBase]


class AuthedRequest(HttpRequest):
    """The request a `@page` view receives: its user is logged in (the decorator saw to it)."""

    user: User


def page(*, staff_only: bool = True, roles: Iterable[str] = ()) -> Callable[[View], View]:
    """A logged-in page; `staff_only` refuses enterprise users, `roles` narrows further (any of them)."""
    wanted = tuple(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            user = request.user
            assert isinstance(user, User), "login_required let an anonymous visitor through"
            try:
                if staff_only:
                    require_staff(user)
                if wanted:
                    require_role(user, *wanted)
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc

        return login_required(wrapper)

    return decorate


def is_fragment_request(request: HttpRequest) -> bool:
    """An htmx request for a fragment (not a history restore, which needs the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL answers a page or a fragment: caches must tell them apart."""
    patch_vary_headers(response, ["HX-Request"])
    return response
