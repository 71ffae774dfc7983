import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, ListOut, Offset, RowId, caller
from ciqcredit.errors import DomainError
from ciqcredit.organizations.access import organization_get_for_user, require_staffing_editor, visible_organizations
from ciqcredit.organizations.models import StaffingRecord
from ciqcredit.organizations.roles import DepartmentKind
from ciqcredit.organizations.services import department_get_or_create, staffing_record_create, training_record_create
from ciqcredit.organizations.staffing import COLUMNS, staffing_get_for_user, staffing_import, staffing_visible

router = Router(tags=["机构 organizations"])


class OrganizationOut(Schema):
    code: str
    name: str
    parent: str | None
    level: str


@router.get("/organizations", response=ListOut[OrganizationOut], summary="机构列表（调用者管辖范围内）")
def list_organizations(request):
    user = caller(request)
    orgs = visible_organizations(user).select_related("parent")
    items = [
        OrganizationOut(code=o.code, name=o.name, parent=o.parent.code if o.parent else None, level=o.level)
        for o in orgs
    ]
    return {"count": len(items), "items": items}


def staffing_out(s: StaffingRecord) -> dict[str, Any]:
    return {
        "id": s.pk,
        "organization": s.department.organization.code,
        "department": s.department.name,
        "department_kind": s.department.kind,
        "person_name": s.person_name,
        "position": s.position,
        "credit_duties": s.credit_duties,
        "full_time": s.full_time,
        "since": s.since.isoformat() if s.since else None,
        "until": s.until.isoformat() if s.until else None,
        "trainings": [
            {
                "id": t.pk,
                "title": t.title,
                "held_on": t.held_on.isoformat(),
                "hours": str(t.hours),
                "organizer": t.organizer,
            }
            for t in s.trainings.all()
        ],
    }


@router.get("/staffing", response={200: dict[str, Any], 403: ErrorOut}, summary="信用管理人员配置与培训（管辖范围内）")
def list_staffing(request, org: str = "", offset: Offset = 0, limit: int = Query(200, ge=1, le=1000)) -> dict[str, Any]:
    user = caller(request)
    rows = staffing_visible(user).select_related("department__organization").prefetch_related("trainings")
    if org:
        rows = rows.filter(department__organization__path__startswith=organization_get_for_user(user, org).path)
    rows = rows.order_by("department__organization__path", "person_name", "pk")
    count = rows.count()
    page = rows[max(0, offset) : max(0, offset) + min(max(1, limit), 1000)]
    return {"count": count, "items": [staffing_out(s) for s in page]}


class StaffingIn(Schema):
    organization: str
    department_kind: str
    person_name: str
    position: str = ""
    credit_duties: str = ""
    full_time: bool = False
    since: dt.date | None = None


@router.post(
    "/staffing",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记信用管理人员",
)
def create_staffing(request, data: StaffingIn):
    user = caller(request)
    organization = organization_get_for_user(user, data.organization)
    if data.department_kind not in DepartmentKind.values:
        raise DomainError("unknown_department_kind", "部门类别不在规定范围内", {"field": "department_kind"}, status=422)
    who = Actor.of(user)
    require_staffing_editor(who, organization)
    department = department_get_or_create(organization=organization, kind=data.department_kind, actor=who)
    record = staffing_record_create(
        department=department,
        person_name=data.person_name,
        position=data.position,
        credit_duties=data.credit_duties,
        full_time=data.full_time,
        since=data.since,
        actor=who,
    )
    return Status(201, staffing_out(record))


class TrainingIn(Schema):
    title: str
    held_on: dt.date
    hours: Decimal
    organizer: str = ""


@router.post(
    "/staffing/{staffing_id}/trainings",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="登记培训记录",
)
def create_training(request, staffing_id: RowId, data: TrainingIn):
    user = caller(request)
    person = staffing_get_for_user(user, staffing_id)
    training_record_create(
        staffing=person,
        title=data.title,
        held_on=data.held_on,
        hours=data.hours,
        organizer=data.organizer,
        actor=Actor.of(user),
    )
    return Status(201, staffing_out(person))


@router.post(
    "/staffing/import",
    response={200: dict[str, int], 403: ErrorOut, 422: ErrorOut},
    summary="从 XLSX 导入人员配置与培训（全部正确才导入）",
    description="第一行为表头：" + "、".join(COLUMNS) + "。错误在 details.errors 中按行（line）、列（column）列出。",
)
def import_staffing(request, file: File[UploadedFile]) -> dict[str, int]:
    return staffing_import(content=file.read(), actor=Actor.of(caller(request)))
