import datetime as dt
from typing import Annotated, Literal

from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from ciqcredit.actors import Actor
from ciqcredit.api_common import ErrorOut, IsoDate, ListOut, Year, caller
from ciqcredit.errors import NotFound
from ciqcredit.workdays import calendar, selectors
from ciqcredit.workdays.models import ScheduleYear
from ciqcredit.workdays.services import schedule_load

router = Router(tags=["工作日历 workdays"])


class DueDateOut(Schema):
    date: IsoDate
    provisional: bool
    skipped_holidays: list[str]
    makeup_workdays: list[str]
    skipped_weekends: list[str]
    explanation: str


class ScheduleOut(Schema):
    year: int
    source: str
    loaded_at: dt.datetime
    loaded_by: str
    notes: str
    holiday_count: int
    makeup_count: int


class SpecialDayOut(Schema):
    date: IsoDate
    kind: Literal["holiday", "workday"]
    name: str


class ScheduleDetailOut(ScheduleOut):
    days: list[SpecialDayOut]


class ScheduleLoadedOut(ScheduleOut):
    recomputed_deadlines: int


def _schedule_out(s: ScheduleYear) -> dict:
    return {
        "year": s.year,
        "source": s.source,
        "loaded_at": s.loaded_at,
        "loaded_by": s.loaded_by_label,
        "notes": s.notes,
        "holiday_count": s.holiday_count,
        "makeup_count": s.makeup_count,
    }


@router.get(
    "/workdays/add",
    response={200: DueDateOut, 422: ErrorOut},
    summary="起算日加 N 个工作日（或自然日）",
    description="第 0 天为起算日，从次日起计。涉及尚未装载节假日安排的年份时只跳过周末，provisional 为 true。",
)
def add_days(
    request,
    start: IsoDate,
    days: Annotated[int, Field(ge=-3660, le=3660)],
    unit: Literal["working", "calendar"] = "working",
):
    return calendar.add_days(start, days, unit).as_dict()


@router.get("/workdays/schedules", response=ListOut[ScheduleOut], summary="已装载节假日安排的年份")
def list_schedules(request):
    items = [_schedule_out(s) for s in selectors.schedule_years()]
    return {"count": len(items), "items": items}


@router.get("/workdays/schedules/{year}", response={200: ScheduleDetailOut, 404: ErrorOut}, summary="某年节假日安排")
def get_schedule(request, year: Year):
    schedule = selectors.schedule_for_year(year)
    if schedule is None:
        raise NotFound(f"{year} 年节假日安排")
    days = [
        {"date": d.date, "kind": "workday" if d.is_workday else "holiday", "name": d.name}
        for d in selectors.special_days(year)
    ]
    return {**_schedule_out(schedule), "days": days}


@router.post(
    "/workdays/schedules/{year}",
    response={200: ScheduleLoadedOut, 403: ErrorOut, 422: ErrorOut},
    summary="装载某年官方节假日安排（总局管理员）",
    description=(
        "上传 CSV（date,kind,name；kind 为 holiday 或 workday）或 JSON"
        '（{"year", "holidays": [{"date", "name"}], "makeup_workdays": ["YYYY-MM-DD"]}）。'
        "文件有误时列出全部错误且不做任何修改；装载后重新计算受影响的未关闭期限。"
    ),
)
def load_schedule(request, year: Year, file: File[UploadedFile]):
    loaded = schedule_load(year=year, content=file.read(), filename=file.name or "", actor=Actor.of(caller(request)))
    return {**_schedule_out(loaded.schedule), "recomputed_deadlines": loaded.recomputed}
