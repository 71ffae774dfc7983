"""The calendar page: a year at a glance, the working-day calculator (htmx) and, for HQ administrators,
loading a year's official schedule."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.roles import Role
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.workdays import calendar, selectors
from ciqcredit.workdays.arith import MAX_DAYS
from ciqcredit.workdays.services import LOADABLE_YEARS, schedule_load


class CalculatorForm(forms.Form):
    start = forms.DateField(label="起算日", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    days = forms.IntegerField(label="天数", min_value=0, max_value=MAX_DAYS)
    unit = forms.ChoiceField(label="单位", choices=[("working", "工作日"), ("calendar", "自然日")], initial="working")


class ScheduleUploadForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=LOADABLE_YEARS.start, max_value=LOADABLE_YEARS.stop - 1)
    file = forms.FileField(label="安排文件（CSV 或 JSON）")


def _year_of(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if year in LOADABLE_YEARS else clock.today().year


@page()
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    year = _year_of(request)
    cal = calendar.current_calendar()
    years = list(selectors.schedule_years())
    today = clock.today()
    context = {
        "year": year,
        "schedule": next((s for s in years if s.year == year), None),
        "years": years,
        "months": selectors.year_grid(cal, year),
        "special_days": selectors.special_days(year),
        "calculator": CalculatorForm(initial={"start": today, "days": 5, "unit": "working"}),
        "can_load": request.user.has_role(Role.HQ_ADMIN),
        "upload": ScheduleUploadForm(initial={"year": max((s.year for s in years), default=today.year - 1) + 1}),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "workdays/home.html", context)


@page()
@require_GET
def calculate(request: AuthedRequest) -> HttpResponse:
    """The calculator's answer: a fragment for htmx, the same fragment inside the page otherwise."""
    form = CalculatorForm(request.GET)
    result, error = None, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = calendar.add_days(data["start"], data["days"], data["unit"])
        except DomainError as exc:
            error = exc.message
    context = {"form": form, "result": result, "error": error}
    if is_fragment_request(request):
        return vary_on_htmx(render(request, "workdays/_result.html", context))
    return vary_on_htmx(render(request, "workdays/calculate.html", context))


@page(roles=[Role.HQ_ADMIN])
@require_POST
def upload(request: AuthedRequest) -> HttpResponse:
    form = ScheduleUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("workdays:home")
    year, upload_file = form.cleaned_data["year"], form.cleaned_data["file"]
    try:
        loaded = schedule_load(
            year=year, content=upload_file.read(), filename=upload_file.name, actor=Actor.of(request.user)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        for error in exc.details.get("errors", []) if isinstance(exc.details, dict) else []:
            messages.error(request, f"{error.get('where', '')}：{error.get('message', '')}")
        return redirect(f"{reverse('workdays:home')}?year={year}")
    messages.success(request, loaded.summary)
    return redirect(f"{reverse('workdays:home')}?year={year}")
