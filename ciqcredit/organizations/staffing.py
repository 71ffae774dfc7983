"""Staffing and training records (§六(一)): who may keep them, scoped reads, and the XLSX import.

An office's credit officers and supervisors (and HQ admins) keep the records of their subtree; everyone
else reads them within their subtree only. The import is all-or-nothing: every bad row is reported with its
line number and column, and nothing is written unless every row is good.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError, Forbidden, NotFound
from ciqcredit.organizations.access import require_staffing_editor
from ciqcredit.organizations.models import Department, Organization, StaffingRecord, User
from ciqcredit.organizations.roles import DepartmentKind
from ciqcredit.organizations.services import department_get_or_create, staffing_record_create, training_record_create

COLUMNS = (
    "单位代码",
    "部门",
    "姓名",
    "职务",
    "信用管理工作职责",
    "专职（是/否）",
    "起始日期",
    "结束日期",
    "培训名称",
    "培训日期",
    "学时",
    "主办单位",
)


def staffing_visible(user: User) -> QuerySet[StaffingRecord]:
    if user.is_enterprise_user or not user.roles:
        return StaffingRecord.objects.none()
    return StaffingRecord.objects.filter(department__organization__path__startswith=user.organization.path)


def staffing_get_for_user(user: User, pk: int) -> StaffingRecord:
    found = staffing_visible(user).select_related("department__organization").filter(pk=pk).first()
    if found is None:
        raise NotFound("人员配置记录")
    return found


@dataclass
class ImportRow:
    line: int
    department: Department | None
    kind: str
    organization: Organization
    person_name: str
    position: str
    duties: str
    full_time: bool
    since: dt.date | None
    until: dt.date | None
    training: tuple[str, dt.date, Decimal, str] | None


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


DEPARTMENT_KINDS = {label: value for value, label in DepartmentKind.choices} | dict(
    (value, value) for value in DepartmentKind.values
)


def parse_staffing_xlsx(content: bytes, *, actor: Actor) -> list[ImportRow]:
    """Read and check every row; raise one DomainError listing every bad row (line and column)."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise DomainError("not_xlsx", "文件不是有效的 XLSX 工作簿", {"error": str(exc)}) from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise DomainError("missing_columns", f"缺少列：{'、'.join(missing)}", {"columns": missing})
    index = {name: header.index(name) for name in COLUMNS if name in header}
    errors: list[dict[str, Any]] = []
    parsed: list[ImportRow] = []
    orgs: dict[str, Organization | None] = {}
    for line, values in enumerate(rows, start=2):

        def cell(name: str, values: tuple = values) -> Any:
            i = index.get(name)
            value = values[i] if i is not None and i < len(values) else None
            return value.strip() if isinstance(value, str) else value

        if not any(v not in (None, "") for v in values):
            continue

        def bad(column: str, message: str, line: int = line) -> None:
            errors.append({"line": line, "column": column, "message": message})

        code = str(cell("单位代码") or "")
        if code not in orgs:
            orgs[code] = Organization.objects.filter(code=code).first()
        org = orgs[code]
        if org is None:
            bad("单位代码", f"机构代码“{code}”不存在")
            continue
        try:
            require_staffing_editor(actor, org)
        except (NotFound, Forbidden):
            bad("单位代码", f"{org.name}不在您的管辖范围内")
            continue
        dept_text = str(cell("部门") or "")
        kind = DEPARTMENT_KINDS.get(dept_text, "")
        department = org.departments.filter(name=dept_text).first() or (
            org.departments.filter(kind=kind).order_by("pk").first() if kind else None
        )
        if department is None and not kind:
            bad("部门", f"部门“{dept_text}”不存在，应为本单位已有部门或部门类别（如检务部门）")
        name = str(cell("姓名") or "")
        if not name:
            bad("姓名", "姓名不能为空")
        full_time_text = str(cell("专职（是/否）") or "否")
        if full_time_text not in ("是", "否"):
            bad("专职（是/否）", "应填“是”或“否”")
        try:
            since, until = _date(cell("起始日期")), _date(cell("结束日期"))
        except ValueError:
            bad("起始日期", "日期格式应为 YYYY-MM-DD")
            continue
        training = None
        if cell("培训名称"):
            try:
                held_on = _date(cell("培训日期"))
                hours = Decimal(str(cell("学时") or "0"))
            except (ValueError, InvalidOperation):
                bad("培训日期", "培训日期应为 YYYY-MM-DD，学时应为数字")
                continue
            if held_on is None:
                bad("培训日期", "填写培训名称时须填写培训日期")
                continue
            training = (str(cell("培训名称")), held_on, hours, str(cell("主办单位") or ""))
        parsed.append(
            ImportRow(
                line,
                department,
                kind,
                org,
                name,
                str(cell("职务") or ""),
                str(cell("信用管理工作职责") or ""),
                full_time_text == "是",
                since,
                until,
                training,
            )
        )
    if errors:
        raise DomainError(
            "invalid_rows",
            f"有{len(errors)}处错误，未导入任何记录：第{errors[0]['line']}行 {errors[0]['message']}",
            {"errors": errors},
            status=422,
        )
    return parsed


@transaction.atomic
def staffing_import(*, content: bytes, actor: Actor) -> dict[str, int]:
    """Import staffing rows (and their trainings) from XLSX, all or nothing. A person already recorded in the
    same department (same name) is not duplicated: the row's training is added to them."""
    people = trainings = 0
    for row in parse_staffing_xlsx(content, actor=actor):
        department = row.department or department_get_or_create(
            organization=row.organization, kind=row.kind, actor=actor
        )
        person = StaffingRecord.objects.filter(department=department, person_name=row.person_name).first()
        if person is None:
            person = staffing_record_create(
                department=department,
                person_name=row.person_name,
                position=row.position,
                credit_duties=row.duties,
                full_time=row.full_time,
                since=row.since,
                until=row.until,
                actor=actor,
            )
            people += 1
        if row.training:
            title, held_on, hours, organizer = row.training
            training_record_create(
                staffing=person, title=title, held_on=held_on, hours=hours, organizer=organizer, actor=actor
            )
            trainings += 1
    return {"people": people, "trainings": trainings}
