"""The enterprise's grade certificates in the portal: its own only; it issues one for its grade in force and
downloads the PDF (the same certificate its bureau can print)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.certificates.selectors import certificate_get_for_user, certificate_validity, certificates_visible_to
from ciqcredit.certificates.services import certificate_issue
from ciqcredit.certificates.views import certificate_pdf
from ciqcredit.portal.access import PortalRequest, portal_page, portal_submit


@portal_page
def certificate_list(request: PortalRequest) -> HttpResponse:
    if request.method == "POST":
        portal_submit(
            request,
            lambda: certificate_issue(enterprise=request.enterprise, actor=Actor.of(request.user)),
            lambda issued: f"信用等级证明已出具，验证码 {issued.display_code}",
        )
        return redirect("portal_certificates:list")
    rows = certificates_visible_to(request.user).select_related("organization")[:50]
    return render(request, "certificates/portal_list.html", {"rows": [(c, certificate_validity(c)) for c in rows]})


@portal_page
def certificate_download(request: PortalRequest, pk: int) -> HttpResponse:
    return certificate_pdf(request, certificate_get_for_user(request.user, pk))
