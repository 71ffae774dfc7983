"""The staff page that keeps an enterprise's portal accounts (its registering organization's credit officers)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.organizations.models import User
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.portal.services import (
    ACCOUNT_KEEPERS,
    enterprise_account_create,
    enterprise_account_disable,
    require_account_keeper,
)


@page(roles=ACCOUNT_KEEPERS)
def accounts(request: AuthedRequest, credit_code: str) -> HttpResponse:
    enterprise = enterprise_get_for_user(request.user, credit_code)
    actor = Actor.of(request.user)
    require_account_keeper(actor, enterprise)
    created = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "disable":
                account = User.objects.filter(enterprise=enterprise, pk=request.POST.get("account") or 0).first()
                if account is None:
                    raise NotFound("企业端账号")
                enterprise_account_disable(account=account, reason=request.POST.get("reason", ""), actor=actor)
                messages.success(request, f"已停用账号 {account.username}")
                return redirect("portal:accounts", credit_code=credit_code)
            user, password = enterprise_account_create(
                enterprise=enterprise,
                username=request.POST.get("username", ""),
                full_name=request.POST.get("full_name", ""),
                email=request.POST.get("email", ""),
                actor=actor,
            )
            created = {"username": user.username, "password": password}
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
    users = User.objects.filter(enterprise=enterprise).order_by("-is_active", "username")
    return render(request, "portal/accounts.html", {"enterprise": enterprise, "users": users, "created": created})
