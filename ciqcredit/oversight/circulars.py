"""The circular (通报) of a closed plan: its content, its gap-free number, publishing it, and its documents.

The content is a snapshot taken at publication (every office's figures, verdicts, score and rank, the main
findings), so the PDF and the DOCX rendered later say exactly what was published. Numbers read
`<orgcode>-TB-YYYY-NNNN`, gap-free per issuing organization and year, taken under a row lock.
"""

from typing import Any

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.catalogue.choices import PlanKind
from ciqcredit.charts import Chart, Series
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.organizations.models import Organization
from ciqcredit.oversight.access import require_organizer
from ciqcredit.oversight.models import Circular, CircularSerial, InspectionPlan, PlanMode, PlanStatus, Verdict
from ciqcredit.oversight.services import _person
from ciqcredit.sql import serial_take

MAX_SERIAL = 9999

# The figures every circular tabulates for each office: (section, figure, label, is_share).
CIRCULAR_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("collection", "collected", "采集信息", False),
    ("collection", "late", "逾期采集", False),
    ("collection", "share_late", "逾期采集比例", True),
    ("review", "late", "逾期审核", False),
    ("adjustment", "unconfirmed", "未经确认结果", False),
    ("dynamic", "notices_late", "逾期送达告知书", False),
    ("dynamic", "steps_overdue", "逾期办理环节", False),
    ("staffing", "share_trained", "人员受训比例", True),
)
VERDICT_POINTS = {Verdict.COMPLIANT: 2, Verdict.BASIC: 1, Verdict.NONCOMPLIANT: 0}


def circular_number(organization: Organization, year: int, serial: int) -> str:
    return f"{organization.code}-TB-{year}-{serial:04d}"


def _next_serial(organization: Organization, year: int) -> int:
    return serial_take(
        CircularSerial,
        limit=MAX_SERIAL,
        exhausted=DomainError(
            "circular_serial_exhausted", f"{organization.name}{year}年的通报编号已用完", {"year": year}, status=409
        ),
        organization=organization,
        year=year,
    )


def office_score(verdicts: list[str]) -> float:
    """Points over the maximum, 0–100: 符合 2, 基本符合 1, 不符合 0 per item."""
    if not verdicts:
        return 0.0
    return round(100 * sum(VERDICT_POINTS[Verdict(v)] for v in verdicts) / (2 * len(verdicts)), 1)


def circular_content(plan: InspectionPlan, *, number: str, published_on: str) -> dict[str, Any]:
    offices: list[dict[str, Any]] = []
    findings: list[dict[str, str]] = []
    for sheet in plan.sheets.select_related("office").prefetch_related("items__task").order_by("office__path"):
        items = list(sheet.items.all())
        verdicts = [i.verdict for i in items]
        figures = sheet.figures
        offices.append(
            {
                "code": sheet.office.code,
                "name": sheet.office.name,
                "score": office_score(verdicts),
                "compliant": verdicts.count(Verdict.COMPLIANT),
                "basic": verdicts.count(Verdict.BASIC),
                "noncompliant": verdicts.count(Verdict.NONCOMPLIANT),
                "conclusion": sheet.conclusion,
                "figures": {f"{s}.{f}": figures.get(s, {}).get(f, 0) for s, f, _, _ in CIRCULAR_COLUMNS},
            }
        )
        for item in items:
            if item.verdict == Verdict.NONCOMPLIANT:
                task = getattr(item, "task", None)
                findings.append(
                    {
                        "office": sheet.office.name,
                        "code": item.code,
                        "title": item.title,
                        "notes": item.notes,
                        "due_on": task.due_on.isoformat() if task else "",
                    }
                )
    # Ranking: the score, then the lower late-collection share, then the code (a stable order for ties).
    ordered = sorted(offices, key=lambda o: (-o["score"], o["figures"]["collection.share_late"], o["code"]))
    for rank, office in enumerate(ordered, start=1):
        office["rank"] = rank
    return {
        "number": number,
        "title": f"关于{plan.title}情况的通报",
        "issuer": {"code": plan.organization.code, "name": plan.organization.name},
        "plan": {
            "title": plan.title,
            "kind": PlanKind(plan.kind).label,
            "mode": PlanMode(plan.mode).label,
            "from": plan.period_start.isoformat(),
            "to": plan.period_end.isoformat(),
            "checklist": plan.checklist.number,
        },
        "published_on": published_on,
        "columns": [{"key": f"{s}.{f}", "label": label, "share": share} for s, f, label, share in CIRCULAR_COLUMNS],
        "offices": ordered,
        "findings": findings,
    }


@transaction.atomic
def circular_publish(*, plan: InspectionPlan, actor: Actor) -> Circular:
    """Number and publish the circular of a closed plan to the offices it inspected; one per plan."""
    user = _person(actor)
    require_organizer(user, plan.organization)
    plan = InspectionPlan.objects.select_for_update().select_related("organization", "checklist").get(pk=plan.pk)
    if plan.status != PlanStatus.CLOSED:
        raise Conflict("plan_open", "督查计划结束后才能发布通报", {"plan": plan.pk})
    if Circular.objects.filter(plan=plan).exists():
        raise Conflict("circular_exists", "本计划的通报已经发布", {"plan": plan.pk})
    today = clock.today()
    serial = _next_serial(plan.organization, today.year)
    number = circular_number(plan.organization, today.year, serial)
    circular = Circular.objects.create(
        plan=plan,
        number=number,
        organization=plan.organization,
        year=today.year,
        serial=serial,
        content=circular_content(plan, number=number, published_on=today.isoformat()),
        published_at=clock.now(),
        published_by_label=actor.label,
    )
    audit_log(
        actor=actor,
        action="oversight.circular.published",
        target=circular,
        new={"number": number, "plan": plan.pk, "offices": [o["code"] for o in circular.content["offices"]]},
        organization_id=plan.organization_id,
    )
    return circular


def short_name(name: str) -> str:
    """An office's name as a chart label: 外高桥出入境检验检疫局 → 外高桥局."""
    return name.replace("出入境检验检疫局", "局").replace("检验检疫局", "局")


def circular_charts(content: dict[str, Any]) -> list[Chart]:
    """The circular's charts: each office's score, and its late-collection share."""
    offices = content["offices"]
    names = tuple(short_name(o["name"]) for o in offices)
    return [
        Chart("各单位督查得分", names, (Series("得分", tuple(o["score"] for o in offices)),), unit="分"),
        Chart(
            "各单位信用信息逾期采集比例",
            names,
            (Series("逾期采集比例", tuple(o["figures"]["collection.share_late"] for o in offices)),),
            percent=True,
        ),
    ]
