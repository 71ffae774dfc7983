"""Pages for reading the rules: every staff role browses; enterprise users are refused; anonymous → login.

The HQ editing pages are in views_edit.py. Drafts and versions in review answer 404 outside HQ.
"""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ciqcredit import clock
from ciqcredit.catalogue import editing
from ciqcredit.catalogue.access import may_edit, may_edit_department, may_publish, may_see_drafts
from ciqcredit.catalogue.checklist_form import schedule_rows
from ciqcredit.catalogue.choices import REFERENCE_LABEL, Category, Collection, Kind, MeasureArea, MeasureGrade
from ciqcredit.catalogue.diff import version_diff
from ciqcredit.catalogue.exporting import CONTENT_TYPES, EXCHANGED_KINDS, FORMATS, export_version
from ciqcredit.catalogue.forms import PublishForm, ReturnForm
from ciqcredit.catalogue.models import (
    CatalogueVersion,
    ChecklistVersion,
    JointMeasureVersion,
    MeasureListVersion,
    RuleSetVersion,
    RulesVersion,
)
from ciqcredit.catalogue.ruleset_tables import cases_table, params_tables
from ciqcredit.catalogue.selectors import (
    departments_of,
    item_search,
    version_get_for_user,
    version_on,
    versions_visible_to,
)
from ciqcredit.catalogue.services import open_version, version_history
from ciqcredit.catalogue.validation import ITEM_FIELDS, MEASURE_FIELDS, param_path_label
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx


def kind_or_404(kind: str) -> str:
    if kind not in Kind.values:
        raise Http404("未知的规则类别")
    return kind


def _date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@page()
def home(request: AuthedRequest) -> HttpResponse:
    """The items of the catalogue in force on a date (default today), filtered; plus what else is in force."""
    on = _date_param(request.GET.get("on")) or clock.today()
    version = version_on(Kind.CATALOGUE, on)
    assert version is None or isinstance(version, CatalogueVersion)  # the kind asked for
    filters = {
        "category": request.GET.get("category", ""),
        "type_slug": request.GET.get("type", ""),
        "department": request.GET.get("department", ""),
        "text": request.GET.get("q", ""),
        "collection": request.GET.get("collection", ""),
    }
    items = list(item_search(version, **filters)) if version is not None else []
    context = {
        "on": on,
        "version": version,
        "items": items,
        "filters": filters,
        "categories": Category.choices,
        "types": EnterpriseType.choices,
        "collections": Collection.choices,
        "departments": departments_of(version) if version is not None else [],
        "ruleset": version_on(Kind.RULESET, on),
        "measures": version_on(Kind.MEASURES, on),
        "kinds": Kind.choices,
        "reference_label": REFERENCE_LABEL,
    }
    if is_fragment_request(request):
        return vary_on_htmx(render(request, "catalogue/_items.html", context))
    return vary_on_htmx(render(request, "catalogue/home.html", context))


@page()
def versions(request: AuthedRequest, kind: str) -> HttpResponse:
    kind = kind_or_404(kind)
    return render(
        request,
        "catalogue/versions.html",
        {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "versions": versions_visible_to(request.user, kind).select_related("based_on"),
            "in_force": version_on(kind, clock.today()),
            "open_version": open_version(kind) if may_see_drafts(request.user) else None,
            "may_edit": may_edit(request.user),
            "kinds": Kind.choices,
        },
    )


def _grouped_measures(version: MeasureListVersion) -> list[dict]:
    measures = list(version.measures.all())
    rows = []
    for grade, label in MeasureGrade.choices:
        cells = {area: [m for m in measures if m.grade == grade and m.area == area] for area in MeasureArea.values}
        rows.append({"grade": grade, "label": label, "cells": [cells[a] for a in MeasureArea.values]})
    return rows


def version_context(request: AuthedRequest, version: RulesVersion) -> dict:
    user = request.user
    context = {
        "version": version,
        "kind": version.KIND,
        "kind_label": version.kind_label,
        "history": version_history(version),
        "may_edit": may_edit(user) and version.is_draft,
        "may_publish": may_publish(user),
        "published_versions": versions_visible_to(user, version.KIND).exclude(pk=version.pk),
        "formats": FORMATS if version.KIND in EXCHANGED_KINDS else (),
        "return_form": ReturnForm(),
        "publish_form": PublishForm(initial={"effective_from": clock.today()}),
    }
    if isinstance(version, CatalogueVersion):
        items = list(version.items.all())
        for item in items:
            item.editable = context["may_edit"] and may_edit_department(user, item.department)
        context["items"] = items
        context["item_columns"] = ITEM_FIELDS
    elif isinstance(version, MeasureListVersion):
        context["measure_rows"] = _grouped_measures(version)
        context["measures"] = list(version.measures.all())
        context["areas"] = MeasureArea.choices
        context["measure_columns"] = MEASURE_FIELDS
    elif isinstance(version, RuleSetVersion):
        context["params"] = params_tables(version.params)
        context["cases"], context["cases_error"] = cases_table(version.cases_yaml)
    elif isinstance(version, JointMeasureVersion):
        context["joint_measures"] = list(version.joint_measures.order_by("position", "code"))
    elif isinstance(version, ChecklistVersion):
        context["checklist_items"] = list(editing.CHECKLIST_ITEMS.rows(version))
        context["schedule"] = schedule_rows(version.schedule)
    return context


@page()
def version_detail(request: AuthedRequest, kind: str, number: int) -> HttpResponse:
    version = version_get_for_user(request.user, kind_or_404(kind), number)
    return render(request, "catalogue/version.html", version_context(request, version))


@page()
def compare(request: AuthedRequest, kind: str) -> HttpResponse:
    """Two versions of a kind side by side: ?a=<old number>&b=<new number> (default: the two latest)."""
    kind = kind_or_404(kind)
    visible = list(versions_visible_to(request.user, kind))
    numbers = [v.number for v in visible]
    try:
        a = int(request.GET.get("a") or (numbers[1] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b") or (numbers[0] if numbers else 0))
    except ValueError:
        raise Http404("版本号无效") from None
    result = None
    old = new = None
    if a and b:
        old = version_get_for_user(request.user, kind, a)
        new = version_get_for_user(request.user, kind, b)
        result = version_diff(old, new)
        for change in result.params_changed:
            change["label"] = param_path_label(change["path"].split("."))
    labels = ITEM_FIELDS if kind == Kind.CATALOGUE else MEASURE_FIELDS
    return render(
        request,
        "catalogue/compare.html",
        {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "numbers": numbers,
            "a": a,
            "b": b,
            "old": old,
            "new": new,
            "diff": result,
            "labels": labels,
        },
    )


@page()
def export(request: AuthedRequest, kind: str, number: int, fmt: str) -> HttpResponse:
    version = version_get_for_user(request.user, kind_or_404(kind), number)
    if fmt not in FORMATS or version.KIND not in EXCHANGED_KINDS:
        raise Http404("未知的导出格式")
    response = HttpResponse(export_version(version, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-v{version.number}.{fmt}"'
    return response
