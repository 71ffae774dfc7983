"""Pages of staffing and training (§六(一)): the people with credit duties in the user's subtree, their
trainings, adding either, and the XLSX import."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import STAFFING_EDITOR_ROLES
from ciqcredit.organizations.models import Department
from ciqcredit.organizations.services import staffing_record_create, training_record_create
from ciqcredit.organizations.staffing import COLUMNS, staffing_get_for_user, staffing_import, staffing_visible
from ciqcredit.oversight.access import READER_ROLES
from ciqcredit.pages import AuthedRequest, page
from ciqcredit.paging import page_of


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.organization.name} · {obj.name}"


class PersonForm(forms.Form):
    department = DepartmentField(label="单位及部门", queryset=Department.objects.none())
    person_name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=50, required=False)
    credit_duties = forms.CharField(label="信用管理工作职责", max_length=200, required=False)
    full_time = forms.BooleanField(label="专职", required=False)
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class TrainingForm(forms.Form):
    staffing = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0)
    organizer = forms.CharField(label="主办单位", max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="XLSX 文件")


@page(roles=READER_ROLES)
@require_http_methods(["GET", "POST"])
def staffing(request: AuthedRequest) -> HttpResponse:
    user = request.user
    departments = Department.objects.filter(organization__path__startswith=user.organization.path).select_related(
        "organization"
    )
    person_form = PersonForm(request.POST if request.POST.get("action") == "person" else None)
    department_field = person_form.fields["department"]
    assert isinstance(department_field, DepartmentField)
    department_field.queryset = departments
    training_form = TrainingForm(request.POST if request.POST.get("action") == "training" else None)
    if request.method == "POST":
        who = Actor.of(user)
        try:
            if person_form.is_bound and person_form.is_valid():
                data = person_form.cleaned_data
                staffing_record_create(
                    department=data["department"],
                    person_name=data["person_name"],
                    position=data["position"],
                    credit_duties=data["credit_duties"],
                    full_time=data["full_time"],
                    since=data["since"],
                    actor=who,
                )
                messages.success(request, f"已登记 {data['person_name']}")
                return redirect("oversight:staffing")
            if training_form.is_bound and training_form.is_valid():
                data = training_form.cleaned_data
                person = staffing_get_for_user(user, data["staffing"])
                training_record_create(
                    staffing=person,
                    title=data["title"],
                    held_on=data["held_on"],
                    hours=data["hours"],
                    organizer=data["organizer"],
                    actor=who,
                )
                messages.success(request, f"已为 {person.person_name} 登记培训")
                return redirect("oversight:staffing")
        except DomainError as exc:
            messages.error(request, exc.message)
    people = (
        staffing_visible(user)
        .select_related("department__organization")
        .prefetch_related("trainings")
        .order_by("department__organization__path", "department__name", "person_name")
    )
    context = {
        "page": page_of(people, request.GET.get("page")),
        "person_form": person_form,
        "training_form": training_form,
        "may_edit": user.has_role(*STAFFING_EDITOR_ROLES),
        "import_form": ImportForm(),
        "columns": COLUMNS,
    }
    return render(request, "oversight/staffing.html", context)


@page(roles=STAFFING_EDITOR_ROLES)
@require_http_methods(["POST"])
def staffing_import_page(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的 XLSX 文件")
        return redirect("oversight:staffing")
    try:
        counts = staffing_import(content=form.cleaned_data["file"].read(), actor=Actor.of(request.user))
    except DomainError as exc:
        messages.error(request, exc.message)
        for error in (exc.details or {}).get("errors", [])[:20]:
            messages.error(request, f"第{error['line']}行“{error['column']}”：{error['message']}")
        return redirect("oversight:staffing")
    messages.success(request, f"已导入人员 {counts['people']} 人、培训记录 {counts['trainings']} 条")
    return redirect("oversight:staffing")
