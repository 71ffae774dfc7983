"""Pages of organizations and accounts: API tokens for administrators, who revoke and rotate them here."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import ApiToken
from ciqcredit.organizations.roles import Role
from ciqcredit.organizations.services import ROTATION_GRACE_HOURS, token_revoke, token_rotate
from ciqcredit.pages import AuthedRequest, page


def _tokens_in_scope(request: AuthedRequest):
    return ApiToken.objects.filter(org_scope_q(request.user, "user__organization")).select_related(
        "user", "user__organization"
    )


@page(roles=[Role.HQ_ADMIN])
def token_list(request: AuthedRequest) -> HttpResponse:
    """Every token in the administrator's scope with when it was last used, so unused ones can be revoked."""
    tokens = _tokens_in_scope(request).order_by("revoked_at", "-last_used_at", "-created_at")[:1000]
    return render(
        request, "accounts/tokens.html", {"tokens": tokens, "now": clock.now(), "grace_hours": ROTATION_GRACE_HOURS}
    )


def _token(request: AuthedRequest, prefix: str) -> ApiToken:
    token = _tokens_in_scope(request).filter(prefix=prefix).first()
    if token is None:
        raise NotFound("接口令牌")
    return token


@require_POST
@page(roles=[Role.HQ_ADMIN])
def token_revoke_view(request: AuthedRequest, prefix: str) -> HttpResponse:
    token = token_revoke(token=_token(request, prefix), actor=Actor.of(request.user))
    messages.success(request, f"令牌 {token.prefix}… 已撤销，使用它的调用即刻被拒绝")
    return redirect("accounts:tokens")


@never_cache  # the answer carries the new secret
@require_POST
@page(roles=[Role.HQ_ADMIN])
def token_rotate_view(request: AuthedRequest, prefix: str) -> HttpResponse:
    """A successor token, shown once on the answer page; the old one works until its grace period ends."""
    old = _token(request, prefix)
    try:
        successor, secret = token_rotate(token=old, actor=Actor.of(request.user))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:tokens")
    old.refresh_from_db()
    return render(request, "accounts/token_issued.html", {"old": old, "token": successor, "secret": secret})
