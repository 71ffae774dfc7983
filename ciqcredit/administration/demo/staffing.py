"""Demo step: credit-work staffing and training records (§六(一)) for each demo organization."""

import datetime as dt
import random
from decimal import Decimal

from ciqcredit.administration.demo.people import demo_staff
from ciqcredit.administration.demo.places import ALL_ORGS
from ciqcredit.administration.demo.run import DemoRun
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import DepartmentKind
from ciqcredit.organizations.services import staffing_record_create, training_record_create

# (title, date, hours, organizer): trainings a credit officer of 2017 would plausibly have had.
TRAININGS = (
    ("《出入境检验检疫企业信用管理工作指南》宣贯培训", dt.date(2017, 6, 20), Decimal("8.0"), "质检总局通关业务司"),
    ("企业信用信息采集与审核业务培训", dt.date(2017, 8, 15), Decimal("4.0"), "{bureau}"),
    ("严重失信企业认定程序专题培训", dt.date(2017, 9, 12), Decimal("3.5"), "{bureau}"),
)
DUTIES: dict[str, tuple[str, str, bool]] = {
    DepartmentKind.CREDIT: ("信用管理综合岗", "信用信息审核、等级确认与结果通知", True),
    DepartmentKind.DECLARATION: ("检务岗", "报检环节不良信息采集", False),
    DepartmentKind.INSPECTION: ("施检岗", "施检环节不良信息采集", False),
    DepartmentKind.OVERSIGHT: ("督查岗", "信用管理工作督查", False),
}


def demo_staffing(run: DemoRun) -> str:
    staff = {p.username: p for p in demo_staff()}
    users = User.objects.filter(username__in=staff, organization__code__in=[o.code for o in ALL_ORGS])
    records = trainings = 0
    for user in users.select_related("department", "organization").order_by("username"):
        department = user.department
        if department is None or department.kind not in DUTIES:
            continue
        if department.staffing.filter(person_name=user.full_name).exists():
            continue
        rng = random.Random(f"staffing:{user.username}")
        position, duties, full_time = DUTIES[department.kind]
        since = dt.date(rng.randint(2012, 2016), rng.randint(1, 12), 1)
        record = staffing_record_create(
            department=department,
            person_name=user.full_name,
            position=position,
            credit_duties=duties,
            full_time=full_time,
            since=since,
            actor=run.actor,
        )
        records += 1
        bureau = user.organization.parent if user.organization.level == "branch" else user.organization
        assert bureau is not None  # a branch has its bureau
        for title, held_on, hours, organizer in TRAININGS[: rng.randint(1, len(TRAININGS))]:
            training_record_create(
                staffing=record,
                title=title,
                held_on=held_on,
                hours=hours,
                organizer=organizer.format(bureau=bureau.name),
                actor=run.actor,
            )
            trainings += 1
    return f"新建人员配置记录 {records} 条、培训记录 {trainings} 条"
