"""The portal's pages: the enterprise's own data, for its users only (`@portal_page`).

Every object is looked up among the enterprise's own rows (another enterprise's answers 404); changes go through
the services of the app that owns them (objections: collection; notices and defences: dynamic).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from ciqcredit.actors import Actor
from ciqcredit.collection.objections import objection_file
from ciqcredit.dynamic.defence import case_defence_submit
from ciqcredit.dynamic.electronic import notice_open
from ciqcredit.dynamic.pdf import notice_pdf_response
from ciqcredit.dynamic.selectors import enterprise_case_get, enterprise_notice_get
from ciqcredit.errors import DomainError
from ciqcredit.portal import selectors
from ciqcredit.portal.access import PortalRequest, portal_page, portal_submit
from ciqcredit.portal.navigation import portal_navigation


@portal_page
def home(request: PortalRequest) -> HttpResponse:
    shortcuts = [e for e in portal_navigation() if e["description"]]
    context = {
        "me": selectors.enterprise_summary(request.enterprise),
        "todos": selectors.my_todos(request.enterprise),
        "shortcuts": shortcuts,
    }
    return render(request, "portal/home.html", context)


@portal_page
def grade(request: PortalRequest) -> HttpResponse:
    try:
        explanation = selectors.explanation(request.enterprise)
    except DomainError as exc:
        if exc.code != "no_ruleset":
            raise
        messages.error(request, exc.message)
        explanation = None
    context = {
        "me": selectors.enterprise_summary(request.enterprise),
        "x": explanation,
        "history": selectors.grade_history_rows(request.enterprise),
    }
    return render(request, "portal/grade.html", context)


@portal_page
def records(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/records.html", {"records": selectors.my_records(request.enterprise)})


@portal_page
def objection_new(request: PortalRequest, record_id: int) -> HttpResponse:
    record = selectors.my_record_get(request.enterprise, record_id)
    if request.method == "POST" and portal_submit(
        request,
        lambda: objection_file(
            record=record,
            reasons=request.POST.get("reasons", ""),
            files=request.FILES.getlist("files"),
            actor=Actor.of(request.user),
        ),
        "异议已提交，复核机构将在规定期限内答复",
    ):
        return redirect("portal:objections")
    return render(request, "portal/objection_new.html", {"record": selectors.my_record_row(record)})


@portal_page
def objections(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/objections.html", {"objections": selectors.my_objections(request.enterprise)})


@portal_page
def measures(request: PortalRequest) -> HttpResponse:
    context = {"me": selectors.enterprise_summary(request.enterprise), "m": selectors.measures(request.enterprise)}
    return render(request, "portal/measures.html", context)


@portal_page
def notices(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/notices.html", {"notices": selectors.my_notices(request.enterprise)})


@portal_page
def notice(request: PortalRequest, number: str) -> HttpResponse:
    """Opening a notice sent to the account delivers it (the first opening, recorded and audited)."""
    found = enterprise_notice_get(request.enterprise.pk, number)
    shown = notice_open(notice=found, actor=Actor.of(request.user))
    if shown.pk != found.pk:
        messages.info(request, f"告知书{found.number}所述情况已发生变化并已作废，请查阅重新拟制的告知书{shown.number}")
        return redirect("portal:notice", number=shown.number)
    return render(request, "portal/notice.html", {"n": selectors.notice_view(shown)})


@portal_page
@require_GET
def notice_pdf(request: PortalRequest, number: str) -> HttpResponse:
    found = enterprise_notice_get(request.enterprise.pk, number)
    notice_open(notice=found, actor=Actor.of(request.user))
    return notice_pdf_response(found)


@portal_page
def cases(request: PortalRequest) -> HttpResponse:
    return render(request, "portal/cases.html", {"cases": selectors.my_cases(request.enterprise)})


@portal_page
def case(request: PortalRequest, case_id: int) -> HttpResponse:
    found = enterprise_case_get(request.enterprise.pk, case_id)
    if request.method == "POST" and portal_submit(
        request,
        lambda: case_defence_submit(
            case=found,
            statement=request.POST.get("statement", ""),
            files=request.FILES.getlist("files"),
            actor=Actor.of(request.user),
        ),
        "陈述申辩已提交，办理机构将在规定期限内答复",
    ):
        return redirect("portal:case", case_id=found.pk)
    return render(request, "portal/case.html", {"c": selectors.case_row(found)})
