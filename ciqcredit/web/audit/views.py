"""Audit pages: the scoped log with filters, and one object's trail after checking the object is visible."""

import datetime as dt

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ciqcredit.audit.models import AuditEntry
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.web.audit.presentation import ACTION_SUBJECTS, target_type_label
from ciqcredit.web.audit.selectors import audit_entries_visible_to, audit_trail_visible_to
from ciqcredit.web.navigation import AUDIT_READERS


def _target_type_choices() -> list[tuple[str, str]]:
    types = sorted(
        f"{model._meta.app_label}.{model._meta.model_name}"
        for model in apps.get_models()
        if model.__module__.startswith("ciqcredit.")
    )
    return [("", "全部对象类型"), *sorted(((t, target_type_label(t)) for t in types), key=lambda c: c[1])]


def _action_choices() -> list[tuple[str, str]]:
    """Kinds of operation by their object, in Chinese; the value is the action codes' prefix."""
    subjects = {**{t: target_type_label(t) for t, _ in _target_type_choices()[1:]}, **ACTION_SUBJECTS}
    areas = [
        (config.label, f"{config.verbose_name}（全部）")
        for config in apps.get_app_configs()
        if config.name.startswith("ciqcredit.") and config.label in {key.split(".")[0] for key in subjects}
    ]
    return [("", "全部操作"), *areas, *sorted(subjects.items(), key=lambda c: c[1])]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="操作对象", required=False)
    actor = forms.CharField(label="操作人（姓名或用户名）", required=False, max_length=150)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    target_type = forms.ChoiceField(label="对象类型", required=False)
    target = forms.CharField(label="对象（编号或名称）", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = _target_type_choices()
        self.fields["action"].choices = _action_choices()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期", code="bad_date_range")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_audit_entries(queryset: QuerySet[AuditEntry], data: dict) -> QuerySet[AuditEntry]:
    """Apply the filters; date bounds are instants so the `at` index serves them."""
    if data.get("action"):
        queryset = queryset.filter(action__startswith=data["action"].strip())
    if data.get("actor"):
        who = data["actor"].strip()
        queryset = queryset.filter(Q(actor_label__startswith=who) | Q(actor__full_name__startswith=who))
    if data.get("date_from"):
        queryset = queryset.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        queryset = queryset.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("target_type"):
        queryset = queryset.filter(target_type=data["target_type"])
    target = (data.get("target") or "").strip()
    if target:
        queryset = queryset.filter(Q(target_id=target) | Q(target_label__contains=target))
    return queryset


@page(roles=AUDIT_READERS)
def audit_list(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    entries = audit_entries_visible_to(request.user).select_related("organization", "actor")
    entries = filter_audit_entries(entries, form.cleaned_data) if form.is_valid() else entries.none()
    context = {
        "form": form,
        "page_obj": page_of(entries.order_by("-at", "-id"), request.GET.get("page")),
        "query": query_without_page(request.GET),
    }
    template = "audit/_results.html" if is_fragment_request(request) else "audit/list.html"
    return vary_on_htmx(render(request, template, context))


@page(roles=AUDIT_READERS)
def audit_object(request: AuthedRequest, target_type: str, target_id: str) -> HttpResponse:
    trail = audit_trail_visible_to(request.user, target_type, target_id)
    context = {
        "target_type": target_type,
        "target_id": target_id,
        "page_obj": page_of(trail.order_by("-at", "-id"), request.GET.get("page")),
        "query": query_without_page(request.GET),
    }
    return render(request, "audit/object.html", context)
