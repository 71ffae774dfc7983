"""Collection pages: collect per route, my queue, record detail with its history, search and export.

Reads go through selectors, changes through services; a DomainError is shown on the page in Chinese.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.selectors import audit_trail_for
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.export import records_xlsx
from ciqcredit.collection.forms import (
    AttachmentForm,
    ExclusionForm,
    ReasonForm,
    RecordEditForm,
    RecordForm,
    SearchForm,
    SubjectForm,
)
from ciqcredit.collection.objections import objection_rows
from ciqcredit.collection.queue import queue_sections
from ciqcredit.collection.rules import COLLECTOR_ROLES, REVIEWER_ROLES, ROUTE_RULES
from ciqcredit.collection.selectors import (
    act_suggestions,
    department_has_reviewer,
    overdue_by_department,
    queue_drafts,
    queue_overdue,
    queue_to_confirm,
    record_get_for_user,
    record_search,
    record_versions,
    same_act,
    unstaffed_review_departments,
)
from ciqcredit.collection.services import (
    LINKABLE,
    exclusion_create,
    record_attach,
    record_confirm,
    record_correct,
    record_create,
    record_discard,
    record_link_act,
    record_return,
    record_revoke,
    record_submit,
    record_update,
    review_refusal,
)
from ciqcredit.errors import DomainError, Forbidden, NotFound
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.paging import page_of, query_without_page

QUEUE_LIMIT = 100


def _items_for(route: str):
    from ciqcredit.catalogue.selectors import items_in_force

    rule = ROUTE_RULES[route]
    return [
        i
        for i in items_in_force(clock.today())
        if i.collection in rule.item_collections and i.association_kind in rule.association_kinds
    ]


def _error_fields(exc: DomainError) -> dict[str, str]:
    errors = exc.details.get("errors", []) if isinstance(exc.details, dict) else []
    return {e["field"]: e["message"] for e in errors if e.get("field")}


@page(roles=COLLECTOR_ROLES)
def record_new(request: AuthedRequest) -> HttpResponse:
    route = request.POST.get("route") or request.GET.get("route") or Route.SUPERVISION
    if route not in ROUTE_RULES or route == Route.ECIQ:
        route = Route.SUPERVISION
    form = RecordForm(request.POST or None, items=_items_for(route), initial={"route": route})
    context = {
        "form": form,
        "route": route,
        "routes": [c for c in Route.choices if c[0] != Route.ECIQ],
        "rule": ROUTE_RULES[route],
        "unregistered": None,
        "subject_form": None,
        "field_errors": {},
    }
    if request.method == "POST" and form.is_valid():
        try:
            record = record_create(
                actor=Actor.of(request.user),
                submit="submit" in request.POST,
                **form.service_kwargs(),
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            context["error"] = exc.message
            context["field_errors"] = _error_fields(exc)
            if exc.code == "enterprise_not_registered":
                code = exc.details.get("credit_code", "")
                context["unregistered"] = code
                context["subject_form"] = SubjectForm(initial={"credit_code": code})
                context["exclusion_form"] = ExclusionForm(
                    initial={
                        "item_code": form.cleaned_data["item_code"],
                        "association_no": form.cleaned_data["association_no"],
                    }
                )
        else:
            messages.success(
                request,
                f"已保存信用信息 {record.association_no}（{RecordStatus(record.status).label}）",
            )
            if record.enterprise.status != "active":
                messages.warning(request, f"{record.enterprise.name}已注销：请核实该信息是否仍应采集")
            return redirect("collection:detail", record_id=record.pk)
    return render(request, "collection/new.html", context)


@require_POST
@page(roles=COLLECTOR_ROLES)
def subject_register(request: AuthedRequest) -> HttpResponse:
    """htmx: register the unknown subject in the registry (enterprises' own service), then go on collecting."""
    from ciqcredit.enterprises.services import enterprise_upsert

    form = SubjectForm(request.POST)
    context: dict = {
        "subject_form": form,
        "unregistered": request.POST.get("credit_code", ""),
    }
    if form.is_valid():
        data = form.cleaned_data
        try:
            enterprise, _ = enterprise_upsert(
                data={
                    "credit_code": data["credit_code"].strip().upper(),
                    "name": data["name"],
                    "types": data["types"],
                    "registering_org": request.user.organization.code,
                },
                actor=Actor.of(request.user),
            )
        except DomainError as exc:
            context["error"] = exc.message
        else:
            context["registered"] = enterprise
    return render(request, "collection/_subject.html", context)


@require_POST
@page(roles=COLLECTOR_ROLES)
def exclusion_new(request: AuthedRequest) -> HttpResponse:
    form = ExclusionForm(request.POST)
    if form.is_valid():
        try:
            exclusion_create(actor=Actor.of(request.user), **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"已记录“{form.cleaned_data['subject_name']}”不适合纳入，不予采集",
            )
            return redirect("collection:queue")
    else:
        messages.error(request, "请填写责任主体和不适合纳入的理由")
    return redirect("collection:new")


@page()
def queue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "to_confirm": list(queue_to_confirm(user)[:QUEUE_LIMIT]),
        "drafts": list(queue_drafts(user)[:QUEUE_LIMIT]),
        "overdue": list(queue_overdue(user)[:QUEUE_LIMIT]),
        "overdue_figures": overdue_by_department(user),
        "unstaffed": unstaffed_review_departments(user),
        "objections": objection_rows(user, QUEUE_LIMIT),
        **queue_sections(user, QUEUE_LIMIT),
        "today": clock.today(),
        "may_collect": user.has_role(*COLLECTOR_ROLES),
    }
    return render(request, "collection/queue.html", context)


def _actions(user, record) -> dict[str, bool]:
    reviewer = user.has_role(*REVIEWER_ROLES) and not user.is_system
    manager = reviewer and record.organization.is_within(user.organization)
    awaiting = record.status == RecordStatus.AWAITING_CONFIRMATION
    own_draft = record.status == RecordStatus.DRAFT and record.created_by_id == user.id
    return {
        "submit": own_draft,
        "edit": own_draft,
        "discard": own_draft,
        "attach": record.status != RecordStatus.DISCARDED and (record.created_by_id == user.id or manager),
        "confirm": awaiting and review_refusal(user, record) is None,
        "return": awaiting and record.route != Route.ECIQ and review_refusal(user, record) is None,
        "revoke": (record.status == RecordStatus.EFFECTIVE and manager)
        or (awaiting and record.route == Route.ECIQ and review_refusal(user, record) is None),
        "correct": record.status == RecordStatus.EFFECTIVE and manager,
        "link": record.status in LINKABLE and (record.created_by_id == user.id or manager),
    }


def _review_refusal_shown(user, record) -> str:
    """Why this staff member cannot confirm a record waiting for review (empty: they can, or it does not wait)."""
    if record.status != RecordStatus.AWAITING_CONFIRMATION or user.is_enterprise_user:
        return ""
    refusal = review_refusal(user, record)
    if refusal is None:
        return ""
    text = refusal.message
    if record.review_department_id and not department_has_reviewer(record.review_department_id):
        text += "；该部门目前没有审核人员，请联系本机构管理员为其配置审核人员"
    return text


@page()
def record_detail(request: AuthedRequest, record_id: int) -> HttpResponse:
    record = record_get_for_user(request.user, record_id)
    context = {
        "record": record,
        "transitions": record.transitions.select_related("actor"),
        "trail": audit_trail_for("collection.creditrecord", str(record.pk)).order_by("at", "id")[:200],
        "actions": _actions(request.user, record),
        "reason_form": ReasonForm(),
        "corrections": record.corrections.all(),
        "supersedes": record.supersedes.all(),
        "review_refusal": _review_refusal_shown(request.user, record),
        "same_act": same_act(request.user, record),
        "versions": record_versions(record),
        "attachments": record.attachments.select_related("uploaded_by").order_by("uploaded_at", "id"),
        "attachment_form": AttachmentForm(),
        "act_suggestions": act_suggestions(request.user, record),
    }
    return render(request, "collection/detail.html", context)


@require_POST
@page()
def record_act(request: AuthedRequest, record_id: int, action: str) -> HttpResponse:
    record = record_get_for_user(request.user, record_id)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            result = record_submit(record=record, actor=Actor.of(request.user))
        elif action == "confirm":
            result = record_confirm(record=record, actor=Actor.of(request.user))
        elif action == "return":
            result = record_return(record=record, reason=reason, actor=Actor.of(request.user))
        elif action == "revoke":
            result = record_revoke(record=record, reason=reason, actor=Actor.of(request.user))
        elif action == "discard":
            result = record_discard(record=record, reason=reason, actor=Actor.of(request.user))
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DomainError("required", "请选择要上传的证据文件（不超过20MB）")
            record_attach(record=record, file=form.cleaned_data["file"], actor=Actor.of(request.user))
            messages.success(request, f"已上传证据文件“{form.cleaned_data['file'].name}”")
            return redirect("collection:detail", record_id=record.pk)
        elif action == "link":
            other = record_get_for_user(request.user, request.POST.get("act_of", "0") or "0")
            result = record_link_act(record=record, act_of=other, actor=Actor.of(request.user))
        elif action == "correct":
            changes = {
                k: v for k in ("item_code", "association_no", "description") if (v := request.POST.get(k, "").strip())
            }
            result = record_correct(record=record, changes=changes, reason=reason, actor=Actor.of(request.user))
        else:
            raise NotFound("操作")
    except (Forbidden, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("collection:detail", record_id=record.pk)
    messages.success(
        request,
        f"信用信息 {result.association_no} 现为“{RecordStatus(result.status).label}”",
    )
    return redirect("collection:detail", record_id=result.pk)


@page(roles=COLLECTOR_ROLES)
def record_edit(request: AuthedRequest, record_id: int) -> HttpResponse:
    """Edit a draft or a returned record (its collector only)."""
    record = record_get_for_user(request.user, record_id)
    if record.created_by_id != request.user.id:
        raise Forbidden("只有该信息的采集人员可以修改", code="not_own_record")
    if record.status != RecordStatus.DRAFT:
        messages.error(request, f"该信用信息当前为“{record.get_status_display()}”，只有草稿或被退回的信息可以修改")
        return redirect("collection:detail", record_id=record.pk)
    items = _items_for(record.route) if record.route in ROUTE_RULES else []
    if record.item_code not in {i.code for i in items}:
        items = [record.item, *items]
    initial = {f: getattr(record, f) for f in RecordEditForm.base_fields if f != "act_ref"}
    form = RecordEditForm(
        request.POST or None, items=items, initial=initial, association_generated=record.association_generated
    )
    context = {"record": record, "form": form, "field_errors": {}}
    if request.method == "POST" and form.is_valid():
        try:
            record_update(record=record, changes=form.changes(record), actor=Actor.of(request.user))
        except DomainError as exc:
            if isinstance(exc, (Forbidden, NotFound)):
                raise
            context["error"] = exc.message
            context["field_errors"] = _error_fields(exc)
        else:
            messages.success(request, f"已保存对信用信息 {record.association_no} 的修改")
            return redirect("collection:detail", record_id=record.pk)
    return render(request, "collection/edit.html", context)


@page()
def attachment_download(request: AuthedRequest, record_id: int, attachment_id: int) -> FileResponse:
    record = record_get_for_user(request.user, record_id)
    attachment = record.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("证据文件")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@page()
def record_list(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    queryset = record_search(request.user, **form.filters()) if form.is_valid() else record_search(request.user)
    context = {
        "form": form,
        "may_collect": request.user.has_role(*COLLECTOR_ROLES),
        "page_obj": page_of(queryset, request.GET.get("page")),
        "query": query_without_page(request.GET),
    }
    template = "collection/_results.html" if is_fragment_request(request) else "collection/list.html"
    return vary_on_htmx(render(request, template, context))


@page()
def record_export(request: AuthedRequest) -> FileResponse:
    form = SearchForm(request.GET)
    queryset = record_search(request.user, **form.filters()) if form.is_valid() else record_search(request.user)
    name = f"信用信息-{clock.today():%Y%m%d}.xlsx"
    return FileResponse(
        records_xlsx(queryset),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
