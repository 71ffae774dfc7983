from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.accounts import user_password_change
from ciqcredit.oversight.dashboard import dashboard
from ciqcredit.pages import AuthedRequest
from ciqcredit.web.navigation import shortcuts_for


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Staff: who they are and what they can do. Enterprise users work in the portal."""
    user = request.user
    if user.is_enterprise_user:
        return redirect("portal:home")
    return render(request, "web/home.html", {"shortcuts": shortcuts_for(user), **dashboard(user)})


@login_required
def password_change(request: AuthedRequest) -> HttpResponse:
    """Everyone changes their own password; the policy's reasons are shown in Chinese."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                actor=Actor.of(request.user),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("web:home")
    return render(request, "registration/password_change.html", {"form": form})
