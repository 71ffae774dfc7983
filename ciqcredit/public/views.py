"""The public site under /public/: no login, no cookies, nothing but what `disclosure` builds."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ciqcredit.public import disclosure


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, {**context, "today": disclosure.today_label()}, status=status)
    patch_cache_control(response, public=True, max_age=max(0, settings.PUBLIC_CACHE_SECONDS))
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, "public/home.html", {"public_grades": disclosure.public_grades()})


@require_GET
def serious_list(request: HttpRequest) -> HttpResponse:
    rows = disclosure.serious_list()
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        rows = [r for r in rows if q in r["name"] or r["credit_code"].startswith(q.upper())]
    return _page(request, "public/serious_list.html", {"rows": rows, "q": q})


@require_GET
def grade(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("credit_code") or "").strip()[:40]
    answer = disclosure.grade_query(code) if code else None
    context = {"answer": answer, "credit_code": code, "public_grades": disclosure.public_grades()}
    return _page(request, "public/grade.html", context)


@require_GET
def measures(request: HttpRequest) -> HttpResponse:
    return _page(request, "public/measures.html", disclosure.published_measures())


@require_GET
def certificate_check(request: HttpRequest) -> HttpResponse:
    """The form; a code typed into it goes to the certificate's own address (the one its QR code holds)."""
    code = (request.GET.get("code") or "").strip()[:40]
    if code:
        answer = disclosure.certificate_check(code)
        if "error" not in answer:
            return redirect("public:certificate", code=answer["code"].replace("-", "") if answer["found"] else code)
        return _page(request, "public/certificate.html", {"answer": answer, "code": code}, status=200)
    return _page(request, "public/certificate.html", {"answer": None, "code": ""})


@require_GET
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    answer = disclosure.certificate_check(code[:40])
    status = 200 if answer.get("found") else 404
    return _page(request, "public/certificate.html", {"answer": answer, "code": code[:40]}, status=status)
