"""Sharing pages: partners and agreements (HQ), partner lists with versions and their diff, joint measures, the
access log (with its export) and the feedback figures."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.catalogue.access import may_edit, may_publish, require_editor
from ciqcredit.catalogue.choices import Kind, MeasureArea
from ciqcredit.catalogue.joint import joint_measures_from_yaml
from ciqcredit.catalogue.models import JointMeasureVersion
from ciqcredit.catalogue.selectors import joint_measures_on, versions_visible_to
from ciqcredit.catalogue.services import open_version
from ciqcredit.errors import DomainError
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.partners.selectors import partner_list_get, version_diff
from ciqcredit.partners.services import partner_create, partner_list_create
from ciqcredit.sharing.exports import Column, require_format
from ciqcredit.sharing.exports import render_file as render_export
from ciqcredit.sharing.feedback import AREA_LABELS, OUTCOME_LABELS, feedback, feedback_file, month_bounds
from ciqcredit.sharing.forms import AgreementForm, LogFilterForm, PartnerForm, PartnerListForm, ReasonForm
from ciqcredit.sharing.models import AgreementStatus, SharedList
from ciqcredit.sharing.selectors import (
    HQ_SHARING_ROLES,
    LIST_READER_ROLES,
    access_log_search,
    agreement_get,
    agreements_all,
    current_members,
    feedback_totals,
    partner_lists_with_sizes,
    partners_overview,
    require_hq_sharing,
)
from ciqcredit.sharing.services import agreement_approve, agreement_reject, agreement_request, agreement_revoke


def _error(request: AuthedRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


# ---- partners and agreements (HQ) ----


@page(roles=HQ_SHARING_ROLES)
def home(request: AuthedRequest) -> HttpResponse:
    require_hq_sharing(request.user)
    forms = {"partner_form": PartnerForm(), "list_form": PartnerListForm(), "agreement_form": AgreementForm()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form_class = {"partner": PartnerForm, "list": PartnerListForm, "agreement": AgreementForm}.get(action)
        if form_class is not None:
            form = form_class(request.POST)
            if form.is_valid():
                try:
                    _create(request, action, form.cleaned_data)
                    return redirect("sharing:home")
                except DomainError as exc:
                    form.add_error(None, exc.message)
            forms[f"{action}_form"] = form
    today = clock.today()
    agreements = list(agreements_all().order_by("status", "-requested_at")[:200])
    return render(
        request,
        "sharing/home.html",
        {
            "partners": partners_overview(),
            "agreements": agreements,
            "today": today,
            "pending": sum(1 for a in agreements if a.status == AgreementStatus.PENDING),
            "may_edit": request.user.has_role("hq_admin"),
            **forms,
        },
    )


def _create(request: AuthedRequest, action: str, data: dict) -> None:
    actor = Actor.of(request.user)
    if action == "partner":
        partner = partner_create(code=data["code"], name=data["name"], kind=data["kind"], actor=actor)
        messages.success(request, f"已登记合作部门 {partner.name}")
    elif action == "list":
        created = partner_list_create(
            partner=data["partner"], code=data["code"], title=data["title"], kind=data["kind"], actor=actor
        )
        messages.success(request, f"已登记名单 {created.title}")
    else:
        agreement = agreement_request(
            partner=data["partner"],
            lists=data["lists"],
            fields=data["shared_fields"],
            purpose=data["purpose"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            actor=actor,
        )
        messages.success(request, f"已登记共享协议 {agreement.pk}，待批准")


@page(roles=HQ_SHARING_ROLES)
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = agreement_get(request.user, pk)
    reads = access_log_search(partner_code=agreement.partner.code).filter(agreement=agreement)
    return render(
        request,
        "sharing/agreement.html",
        {
            "agreement": agreement,
            "in_force": agreement.in_force(clock.today()),
            "reason_form": ReasonForm(),
            "reads": reads[:20],
            "may_decide": request.user.has_role("hq_admin"),
        },
    )


@require_POST
@page(roles=("hq_admin",))
def agreement_decide(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    agreement = agreement_get(request.user, pk)
    actor = Actor.of(request.user)
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            agreement_approve(agreement=agreement, actor=actor)
            messages.success(request, "协议已批准，自起始日期起生效")
        elif action == "reject":
            agreement_reject(agreement=agreement, reason=reason, actor=actor)
            messages.success(request, "已不予批准")
        elif action == "revoke":
            agreement_revoke(agreement=agreement, reason=reason, actor=actor)
            messages.success(request, "协议已终止")
    except DomainError as exc:
        _error(request, exc)
    return redirect("sharing:agreement", pk=agreement.pk)


# ---- partner lists ----


@page(roles=LIST_READER_ROLES)
def lists(request: AuthedRequest) -> HttpResponse:
    return render(request, "sharing/lists.html", {"lists": partner_lists_with_sizes()})


def _version_number(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() else default


@page(roles=LIST_READER_ROLES)
def list_detail(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        partner_list = partner_list_get(code)
    except DomainError:
        raise Http404("名单不存在") from None
    latest = partner_list.version
    new = _version_number(request.GET.get("b", ""), latest)
    old = _version_number(request.GET.get("a", ""), max(0, new - 1))
    diff, diff_error = None, ""
    if latest:
        try:
            diff = version_diff(partner_list, old, new)
        except DomainError as exc:
            diff_error = exc.message
    members = page_of(current_members(partner_list).order_by("credit_code"), request.GET.get("page"))
    return render(
        request,
        "sharing/list.html",
        {
            "partner_list": partner_list,
            "versions": partner_list.versions.select_related("client").order_by("-number")[:100],
            "diff": diff,
            "diff_error": diff_error,
            "members": members,
            "query": query_without_page(request.GET),
        },
    )


# ---- joint measures ----


@page()
def joint(request: AuthedRequest) -> HttpResponse:
    editor = may_edit(request.user)
    if request.method == "POST":
        require_editor(Actor.of(request.user))  # 403 for everyone else
    draft = open_version(Kind.JOINT) if editor else None
    if request.method == "POST" and isinstance(draft, JointMeasureVersion):
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("missing_file", "请选择 YAML 文件", {"field": "file"})
            count = joint_measures_from_yaml(version=draft, content=upload.read(), actor=Actor.of(request.user))
            messages.success(request, f"{draft}已更新为{count}项措施，可在规则版本页面提交审核")
        except DomainError as exc:
            _error(request, exc)
        return redirect("sharing:joint")
    version = joint_measures_on(clock.today())
    assert version is None or isinstance(version, JointMeasureVersion)
    rows = list(version.joint_measures.order_by("position", "code")) if version is not None else []
    return render(
        request,
        "sharing/joint.html",
        {
            "version": version,
            "rows": rows,
            "areas": dict(MeasureArea.choices),
            "versions": versions_visible_to(request.user, Kind.JOINT)[:20],
            "draft": draft,
            "may_edit": editor,
            "may_publish": may_publish(request.user),
        },
    )


# ---- the access log ----

LOG_COLUMNS = [
    Column("at", "时间"),
    Column("partner", "合作部门"),
    Column("client", "接入账号"),
    Column("endpoint", "接口"),
    Column("list", "名单"),
    Column("rows", "返回条数"),
    Column("result", "结果"),
    Column("refusal", "拒绝代码"),
]
LOG_EXPORT_LIMIT = 100_000


def _log_filters(request: AuthedRequest) -> tuple[LogFilterForm, dict]:
    form = LogFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {
        "partner_code": data.get("partner") or "",
        "date_from": data.get("date_from"),
        "date_to": data.get("date_to"),
        "allowed": data.get("allowed") or "",
    }


LIST_NAMES = dict(SharedList.choices)


@page(roles=HQ_SHARING_ROLES)
def access_log_page(request: AuthedRequest) -> HttpResponse:
    require_hq_sharing(request.user)
    form, filters = _log_filters(request)
    entries = page_of(access_log_search(**filters), request.GET.get("page"))
    return render(
        request,
        "sharing/log.html",
        {"form": form, "entries": entries, "query": query_without_page(request.GET), "list_names": LIST_NAMES},
    )


@page(roles=HQ_SHARING_ROLES)
def access_log_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    require_hq_sharing(request.user)
    try:
        require_format(fmt)
    except DomainError:
        raise Http404("文件格式应为 xlsx、csv 或 jsonl") from None
    _, filters = _log_filters(request)
    rows = (
        {
            "at": e.at,
            "partner": f"{e.partner.name}（{e.partner.code}）",
            "client": e.client.username,
            "endpoint": f"{e.endpoint_label}（{e.endpoint}）",
            "list": e.list_label,
            "rows": e.rows,
            "result": "准予" if e.allowed else "拒绝",
            "refusal": e.refusal_label,
        }
        for e in access_log_search(**filters)[:LOG_EXPORT_LIMIT].iterator()
    )
    exported = render_export(
        rows=rows, columns=LOG_COLUMNS, fmt=fmt, stem="sharing-access-log", snapshot_at=clock.now()
    )
    return exported.response()


# ---- feedback (HQ sees every partner) ----


@page(roles=HQ_SHARING_ROLES)
def feedback_page(request: AuthedRequest) -> HttpResponse:
    require_hq_sharing(request.user)
    month = request.GET.get("month") or clock.today().strftime("%Y-%m")
    try:
        date_from, date_to = month_bounds(month)
    except DomainError:
        month = clock.today().strftime("%Y-%m")
        date_from, date_to = month_bounds(month)
    totals = feedback_totals(date_from, date_to)
    all_lists = list(partner_lists_with_sizes())
    chosen = next((pl for pl in all_lists if pl.code == request.GET.get("list")), None)
    entries = feedback(chosen, date_from, date_to)[:500] if chosen is not None else []
    return render(
        request,
        "sharing/feedback.html",
        {
            "month": month,
            "date_from": date_from,
            "date_to": date_to,
            "lists": [(pl, totals.get(pl.code, {})) for pl in all_lists],
            "chosen": chosen,
            "entries": entries,
            "areas": AREA_LABELS,
            "outcomes": OUTCOME_LABELS,
        },
    )


@page(roles=HQ_SHARING_ROLES)
def feedback_download(request: AuthedRequest, code: str, month: str, fmt: str) -> HttpResponse:
    require_hq_sharing(request.user)
    try:
        partner_list = partner_list_get(code)
        exported = feedback_file(partner_list, month, fmt, clock.now())
    except DomainError as exc:
        raise Http404(exc.message) from None
    return exported.response()
