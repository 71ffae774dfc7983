"""The portal's pages: the enterprise's own data, for its users only (`@portal_page`)."""

from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit.portal.access import PortalRequest, portal_page
from ciqcredit.portal.navigation import portal_navigation
from ciqcredit.portal.selectors import enterprise_summary


@portal_page
def home(request: PortalRequest) -> HttpResponse:
    shortcuts = [e for e in portal_navigation() if e["description"]]
    return render(request, "portal/home.html", {"me": enterprise_summary(request.enterprise), "shortcuts": shortcuts})
