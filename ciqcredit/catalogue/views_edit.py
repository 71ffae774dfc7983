"""HQ pages that change the rules: drafts, items, parameters, measures, checklist items, import, submit, return,
publish.

Only HQ rule roles reach these pages (`page(roles=...)`); the services check again (department of an item,
publisher role, draft status), and their domain errors come back as form errors or a flash message.
"""

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ciqcredit.actors import Actor
from ciqcredit.catalogue import editing, services
from ciqcredit.catalogue.access import EDITOR_ROLES, PUBLISHER_ROLES
from ciqcredit.catalogue.checklist import checklist_schedule_update
from ciqcredit.catalogue.checklist_form import ChecklistItemForm, ScheduleEditor
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import EXCHANGED_KINDS, format_of
from ciqcredit.catalogue.forms import (
    ImportForm,
    ItemForm,
    JointMeasureForm,
    MeasureForm,
    PublishForm,
    ReturnForm,
    VersionForm,
    apply_errors,
)
from ciqcredit.catalogue.models import (
    CatalogueItem,
    CatalogueVersion,
    ChecklistVersion,
    JointMeasureVersion,
    MeasureListVersion,
    RuleSetVersion,
    RulesVersion,
)
from ciqcredit.catalogue.ruleset_case_form import CaseEditor
from ciqcredit.catalogue.ruleset_tables import RuleSetParamsForm, ruleset_cases_raw
from ciqcredit.catalogue.selectors import version_get_for_user
from ciqcredit.catalogue.views import kind_or_404, version_context
from ciqcredit.errors import DomainError, Forbidden, NotFound
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.rules.cases import run_cases

editor_page = page(roles=EDITOR_ROLES)
publisher_page = page(roles=PUBLISHER_ROLES)


def _version(request: AuthedRequest, kind: str, number: int) -> RulesVersion:
    return version_get_for_user(request.user, kind_or_404(kind), number)


V = TypeVar("V", bound=RulesVersion)


def _version_of(request: AuthedRequest, model: type[V], number: int) -> V:
    version = _version(request, model.KIND, number)
    assert isinstance(version, model)  # the versions of a kind are rows of its model
    return version


def _detail(version: RulesVersion) -> HttpResponse:
    return redirect("catalogue:version", kind=version.KIND, number=version.number)


def _flash_error(request: AuthedRequest, exc: DomainError) -> None:
    if isinstance(exc, Forbidden | NotFound):
        raise exc
    messages.error(request, exc.message)


@require_POST
@editor_page
def draft_create(request: AuthedRequest, kind: str) -> HttpResponse:
    kind = kind_or_404(kind)
    try:
        version = services.version_draft_create(kind=kind, actor=Actor.of(request.user))
    except DomainError as exc:
        _flash_error(request, exc)
        return redirect("catalogue:versions", kind=kind)
    messages.success(request, f"已新建{version}（草稿）")
    return _detail(version)


@editor_page
def version_edit(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    form = VersionForm(request.POST or None, initial={"title": version.title, "notes": version.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(version=version, actor=Actor.of(request.user), **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            apply_errors(form, exc)
        else:
            messages.success(request, "版本信息已保存")
            return _detail(version)
    return render(request, "catalogue/form.html", {"version": version, "form": form, "title": "编辑版本信息"})


def _catalogue_draft(request: AuthedRequest, number: int) -> CatalogueVersion:
    return _version_of(request, CatalogueVersion, number)


@editor_page
def item_form(request: AuthedRequest, number: int, code: str | None = None) -> HttpResponse:
    """Add an item (no code) or edit one."""
    version = _catalogue_draft(request, number)
    item = None
    if code is not None:
        item = CatalogueItem.objects.filter(version=version, code=code).first()
        if item is None:
            raise Http404("条目不存在")
    initial = editing.item_snapshot(item) if item else {"department": request.user.business_department}
    if item:
        initial["stage"] = initial["stage"] or ""
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                editing.catalogue_item_create(version=version, fields=form.cleaned_data, actor=Actor.of(request.user))
            else:
                editing.catalogue_item_update(item=item, fields=form.cleaned_data, actor=Actor.of(request.user))
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            apply_errors(form, exc)
        else:
            messages.success(request, "条目已保存")
            return _detail(version)
    title = f"编辑条目 {item.code}" if item else "新增条目"
    return render(request, "catalogue/form.html", {"version": version, "form": form, "title": title})


@require_POST
@editor_page
def item_delete(request: AuthedRequest, number: int, code: str) -> HttpResponse:
    version = _catalogue_draft(request, number)
    item = CatalogueItem.objects.filter(version=version, code=code).first()
    if item is None:
        raise Http404("条目不存在")
    try:
        editing.catalogue_item_delete(item=item, actor=Actor.of(request.user))
        messages.success(request, f"已删除条目 {code}")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


# The rows a draft of a kind holds, each added, edited and removed on the version's page: the version's model,
# the shared steps (catalogue.editing.DraftRows) and the form.
ROW_PAGES: dict[str, tuple[type[RulesVersion], editing.DraftRows, type[forms.Form]]] = {
    "measures": (MeasureListVersion, editing.MEASURES, MeasureForm),
    "joint": (JointMeasureVersion, editing.JOINT_MEASURES, JointMeasureForm),
    "checklist": (ChecklistVersion, editing.CHECKLIST_ITEMS, ChecklistItemForm),
}


def _draft_rows(request: AuthedRequest, kind: str, number: int, code: str | None) -> tuple[RulesVersion, Any]:
    """The version (404 outside HQ) and its row of that code (None without a code; 404 when it has none)."""
    model, kinds, _ = ROW_PAGES[kind]
    version = _version_of(request, model, number)
    if code is None:
        return version, None
    row = kinds.model.objects.filter(version_id=version.pk, code=code).first()
    if row is None:
        raise Http404(f"{kinds.noun}不存在")
    return version, row


@editor_page
def row_form(request: AuthedRequest, kind: str, number: int, code: str | None = None) -> HttpResponse:
    """Add (no code) or edit a row of a draft: a measure, a joint measure (联合奖惩措施), a checklist item."""
    version, row = _draft_rows(request, kind, number, code)
    _, kinds, form_class = ROW_PAGES[kind]
    form = form_class(request.POST or None, initial=kinds.snapshot(row) if row else None)
    if request.method == "POST" and form.is_valid():
        actor = Actor.of(request.user)
        try:
            if row is None:
                editing.draft_row_create(kinds, version=version, fields=form.cleaned_data, actor=actor)
            else:
                editing.draft_row_update(kinds, row=row, fields=form.cleaned_data, actor=actor)
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            apply_errors(form, exc)
        else:
            messages.success(request, f"{kinds.noun}已保存")
            return _detail(version)
    title = f"编辑{kinds.noun} {row.code}" if row else f"新增{kinds.noun}"
    return render(request, "catalogue/form.html", {"version": version, "form": form, "title": title})


@require_POST
@editor_page
def row_delete(request: AuthedRequest, kind: str, number: int, code: str) -> HttpResponse:
    version, row = _draft_rows(request, kind, number, code)
    kinds = ROW_PAGES[kind][1]
    try:
        editing.draft_row_delete(kinds, row=row, actor=Actor.of(request.user))
        messages.success(request, f"已删除{kinds.noun} {row.code}")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


@require_POST
@editor_page
def row_move(request: AuthedRequest, kind: str, number: int, code: str, offset: int) -> HttpResponse:
    """上移 (−1) / 下移 (+1): a row one place up or down (a checklist's items are listed on sheets in this order)."""
    version, row = _draft_rows(request, kind, number, code)
    kinds = ROW_PAGES[kind][1]
    try:
        place = editing.draft_row_move(kinds, row=row, offset=offset, actor=Actor.of(request.user))
        messages.success(request, f"{kinds.noun} {row.code} 已移至第{place}项")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


@editor_page
def ruleset_edit(request: AuthedRequest, number: int) -> HttpResponse:
    """The draft's parameters field by field, its adjustment rules as rows; its cases listed, each edited on
    its own page."""
    version = _version_of(request, RuleSetVersion, number)
    context = version_context(request, version)
    form = RuleSetParamsForm(request.POST or None, params=version.params)
    adding_row = "more_adjustment" in request.POST
    if request.method == "POST" and not adding_row and form.is_valid():
        try:
            editing.ruleset_update(version=version, params=form.params(), actor=Actor.of(request.user))
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            for err in exc.details.get("errors", []) if isinstance(exc.details, dict) else []:
                form.add_service_error(err.get("field") or "", err["message"])
            if not form.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "评定参数已保存")
            return _detail(version)
    return render(request, "catalogue/ruleset_edit.html", {**context, "form": form})


@editor_page
def ruleset_case_form(request: AuthedRequest, number: int, position: int | None = None) -> HttpResponse:
    """Add a rule case (no position) or edit one: its situation, records and expected outcome as fields."""
    version = _version_of(request, RuleSetVersion, number)
    case = None
    if position is not None:
        cases = ruleset_cases_raw(version.cases_yaml)
        if not 1 <= position <= len(cases):
            raise Http404("规则测试用例不存在")
        case = cases[position - 1]
    editor = CaseEditor(request.POST or None, case=case)
    if request.method == "POST" and not editor.adding_row and editor.is_valid():
        try:
            saved = editing.ruleset_case_save(
                version=version, case=editor.case(), position=position, actor=Actor.of(request.user)
            )
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            errors = exc.details.get("errors", []) if isinstance(exc.details, dict) else []
            editor.add_service_errors(errors or [{"field": None, "message": exc.message}])
        else:
            messages.success(request, f"用例已保存（第{saved}个）")
            for outcome in run_cases(version.rule_params, version.cases_yaml)[saved - 1 : saved]:
                if not outcome.passed:
                    messages.error(request, f"按本草稿的评定参数，该用例未通过：{outcome.message}")
            return redirect("catalogue:ruleset_edit", number=version.number)
    title = f"编辑规则测试用例：{case.get('name', '')}" if case else "新增规则测试用例"
    return render(request, "catalogue/ruleset_case.html", {"version": version, "editor": editor, "title": title})


@require_POST
@editor_page
def ruleset_case_delete(request: AuthedRequest, number: int, position: int) -> HttpResponse:
    version = _version_of(request, RuleSetVersion, number)
    try:
        editing.ruleset_case_delete(version=version, position=position, actor=Actor.of(request.user))
        messages.success(request, "用例已删除")
    except DomainError as exc:
        _flash_error(request, exc)
    return redirect("catalogue:ruleset_edit", number=version.number)


@editor_page
def checklist_edit(request: AuthedRequest, number: int) -> HttpResponse:
    """A draft checklist's schedule of plans and rectification period, saved together."""
    version = _version_of(request, ChecklistVersion, number)
    editor = ScheduleEditor(request.POST or None, version=version)
    if request.method == "POST" and editor.is_valid():
        try:
            checklist_schedule_update(version=version, actor=Actor.of(request.user), **editor.content())
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            problems = exc.details.get("problems", []) if isinstance(exc.details, dict) else []
            for problem in problems or [exc.message]:
                editor.form.add_error(None, problem)
        else:
            messages.success(request, "督查计划安排和整改期限已保存")
            return _detail(version)
    return render(request, "catalogue/checklist_edit.html", {"version": version, "editor": editor})


@editor_page
def import_file(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    if version.KIND not in EXCHANGED_KINDS:
        raise Http404("此类规则不通过文件导入")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[dict] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = version_import(
                version=version, content=upload.read(), fmt=format_of(upload.name), actor=Actor.of(request.user)
            )
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                raise
            errors = exc.details.get("errors", []) if isinstance(exc.details, dict) else []
            if not errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, f"导入成功：{summary}")
            return _detail(version)
    return render(request, "catalogue/import.html", {"version": version, "form": form, "errors": errors})


@require_POST
@editor_page
def submit(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    try:
        services.version_submit(version=version, actor=Actor.of(request.user))
        messages.success(request, f"{version}已提交审核")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


@require_POST
@editor_page
def discard(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    form = ReturnForm(request.POST)
    try:
        services.version_discard(
            version=version, actor=Actor.of(request.user), reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
        messages.success(request, f"{version}已废弃")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


@require_POST
@publisher_page
def return_version(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    form = ReturnForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.version_return(version=version, reason=reason, actor=Actor.of(request.user))
        messages.success(request, f"{version}已退回修改")
    except DomainError as exc:
        _flash_error(request, exc)
    return _detail(version)


@require_POST
@publisher_page
def publish(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = _version(request, kind, number)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的生效日期")
        return _detail(version)
    try:
        version = services.version_publish(
            version=version, effective_from=form.cleaned_data["effective_from"], actor=Actor.of(request.user)
        )
    except DomainError as exc:
        _flash_error(request, exc)
        failures = exc.details.get("failures", []) if isinstance(exc.details, dict) else []
        for failure in failures:
            messages.error(request, f"用例“{failure['name']}”：{failure['message']}")
        return _detail(version)
    messages.success(request, f"{version}已发布，{version.effective_from:%Y-%m-%d}起生效")
    return redirect(reverse("catalogue:version", kwargs={"kind": version.KIND, "number": version.number}))
