"""Staff pages of grade certificates: those of the enterprises in scope, issuing one (to print for an enterprise),
its PDF, and revoking one."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.certificates.pdf import certificate_pdf_response
from ciqcredit.certificates.selectors import certificate_get_for_user, certificate_validity, certificates_visible_to
from ciqcredit.certificates.services import certificate_issue, certificate_revoke
from ciqcredit.enterprises.selectors import enterprise_get_for_user
from ciqcredit.errors import DomainError
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.paging import page_of, query_without_page

READERS = (Role.HQ_ADMIN, Role.BUREAU_CREDIT, Role.SUPERVISOR)


def verify_url(request: HttpRequest, certificate: GradeCertificate) -> str:
    """The public address that checks the certificate: CIQCREDIT_PUBLIC_URL when set (the address the public
    reaches the platform at), else this request's own host."""
    path = reverse("public:certificate", args=[certificate.code])
    base = settings.CIQCREDIT_PUBLIC_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def certificate_pdf(request: HttpRequest, certificate: GradeCertificate) -> HttpResponse:
    return certificate_pdf_response(certificate, verify_url=verify_url(request, certificate))


@page(roles=READERS)
def certificate_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":  # which of the page's forms was sent
                found = certificate_get_for_user(user, int(request.POST.get("certificate") or 0))
                certificate_revoke(certificate=found, reason=request.POST.get("reason", ""), actor=Actor.of(user))
                messages.success(request, f"已撤销证明 {found.display_code}")
            else:
                enterprise = enterprise_get_for_user(user, (request.POST.get("credit_code") or "").strip().upper())
                issued = certificate_issue(enterprise=enterprise, actor=Actor.of(user))
                messages.success(request, f"已出具{enterprise.name}的信用等级证明，验证码 {issued.display_code}")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "请求无效"))
        return redirect("certificates:list")
    rows = certificates_visible_to(user).select_related("enterprise", "organization")
    paged = page_of(rows, request.GET.get("page"))
    return render(
        request,
        "certificates/list.html",
        {
            "page_obj": paged,
            "query": query_without_page(request.GET),
            "rows": [(c, certificate_validity(c)) for c in paged.object_list],
            "may_issue": user.has_role(Role.BUREAU_CREDIT, Role.HQ_ADMIN),
        },
    )


@page(roles=READERS)
def certificate_download(request: AuthedRequest, pk: int) -> HttpResponse:
    return certificate_pdf(request, certificate_get_for_user(request.user, pk))
