from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit.oversight.dashboard import dashboard
from ciqcredit.pages import AuthedRequest
from ciqcredit.web.navigation import shortcuts_for


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Staff: who they are and what they can do. Enterprise users: their enterprise."""
    user = request.user
    if user.is_enterprise_user:
        return render(request, "web/home_enterprise.html", {"enterprise": user.enterprise})
    return render(request, "web/home.html", {"shortcuts": shortcuts_for(user), **dashboard(user)})
