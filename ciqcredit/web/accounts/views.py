"""Pages of organizations and accounts: API tokens for administrators."""

from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit import clock
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import ApiToken
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, page


@page(roles=[Role.HQ_ADMIN])
def token_list(request: AuthedRequest) -> HttpResponse:
    """Every token in the administrator's scope with when it was last used, so unused ones can be revoked."""
    tokens = (
        ApiToken.objects.filter(org_scope_q(request.user, "user__organization"))
        .select_related("user", "user__organization")
        .order_by("revoked_at", "-last_used_at", "-created_at")[:1000]
    )
    return render(request, "accounts/tokens.html", {"tokens": tokens, "now": clock.now()})
