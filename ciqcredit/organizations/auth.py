"""Bearer-token authentication of the API: the client's rate limit, and scopes checked before any body is read."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from ciqcredit.errors import RateLimited
from ciqcredit.organizations.access import require_scope
from ciqcredit.organizations.models import User
from ciqcredit.organizations.ratelimit import wait_seconds
from ciqcredit.organizations.services import token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` for systems and staff scripts, within the client's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None:
            return None
        self.admit(user)
        request.user = user
        return user

    def admit(self, user: User) -> None:
        wait = wait_seconds(user)
        if wait:
            raise RateLimited(wait)


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
        super().admit(user)
