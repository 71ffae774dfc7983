"""Demo step: supervision (§六) at 上海局. A closed quarterly inspection of its branches, judged from the figures
the platform pre-filled, with findings turned into rectification tasks (one answered and accepted), its circular,
and an open self-inspection of the bureau itself that its supervisor has started."""

from typing import Any

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.administration.demo.run import DemoRun
from ciqcredit.organizations.models import Organization, User
from ciqcredit.oversight.circulars import circular_publish
from ciqcredit.oversight.models import InspectionPlan, SheetItem, Verdict
from ciqcredit.oversight.services import (
    last_period,
    plan_close,
    plan_create,
    sheet_item_judge,
    sheet_submit,
    task_accept,
    task_answer,
)

BUREAU = "310000"


def _share_verdict(share: float, good: float = 0.05, fair: float = 0.15) -> str:
    return Verdict.COMPLIANT if share <= good else Verdict.BASIC if share <= fair else Verdict.NONCOMPLIANT


def judge_from_figures(item: SheetItem, figures: dict[str, Any]) -> tuple[str, str]:
    """The verdict and notes an inspector would write from the pre-filled figures of the sheet."""
    s, c, r, a, d = (figures[k] for k in ("staffing", "collection", "review", "adjustment", "dynamic"))
    if item.code == "6.1.1":
        return (Verdict.COMPLIANT if s["people"] else Verdict.NONCOMPLIANT), f"在岗信用管理人员{s['people']}人"
    if item.code == "6.1.2":
        share = s["share_trained"]
        verdict = Verdict.COMPLIANT if share >= 0.8 else Verdict.BASIC if share >= 0.5 else Verdict.NONCOMPLIANT
        return verdict, f"督查期间受训{s['trained']}人，占在岗人员{share * 100:.0f}%"
    if item.code == "6.2.1":
        return _share_verdict(c["share_late"]), (
            f"采集信息{c['collected']}条，逾期{c['late']}条（{c['share_late'] * 100:.1f}%），"
            f"逾期工作日数中位数{c['median_delay_days']}天"
        )
    if item.code == "6.2.2":
        share = r["late"] / r["reviewed"] if r["reviewed"] else 0.0
        return _share_verdict(share), f"审核信息{r['reviewed']}条，逾期审核{r['late']}条，退回更正{r['returned']}条"
    if item.code == "6.2.3":
        clean = not a["unconfirmed"] and not a["adjusted_outside_window"]
        return (Verdict.COMPLIANT if clean else Verdict.BASIC), (
            f"初评结果{a['results']}个，窗口期内确认{a['confirmed_in_window']}个，未经确认{a['unconfirmed']}个"
        )
    if item.code == "6.2.4":
        clean = not d["notices_late"] and not d["steps_overdue"]
        return (Verdict.COMPLIANT if clean else Verdict.NONCOMPLIANT), (
            f"触发动态管理{d['triggered']}件，逾期送达告知书{d['notices_late']}份，逾期办理环节{d['steps_overdue']}个"
        )
    if item.code == "6.2.5":
        return Verdict.COMPLIANT, "措施执行情况跟踪尚未上线，查阅纸质台账"
    return Verdict.COMPLIANT, "现场查看，按要求执行"


def demo_supervision(run: DemoRun) -> str:
    bureau = Organization.objects.get(code=BUREAU)
    if InspectionPlan.objects.filter(organization=bureau).exists():
        return "上海局的督查计划已存在，未改动"
    supervisor = User.objects.get(username="sh_supervisor")
    inspector = Actor.of(supervisor)
    start, end = last_period("quarterly", clock.today())
    branches = list(bureau.children.filter(active=True).order_by("path"))
    plan = plan_create(
        mode="inspection",
        kind="quarterly",
        title=f"{start.year}年第{(start.month - 1) // 3 + 1}季度上海局企业信用管理工作督查",
        period_start=start,
        period_end=end,
        offices=branches,
        inspectors=[supervisor],
        extra_items=[{"code": "SH-1", "title": "信用信息公示栏按月更新", "standard": "每月更新一次"}],
        actor=inspector,
    )
    findings = 0
    for sheet in plan.sheets.order_by("office__path"):
        for item in sheet.items.all():
            verdict, notes = judge_from_figures(item, sheet.figures)
            findings += verdict == Verdict.NONCOMPLIANT
            sheet_item_judge(item=item, verdict=verdict, notes=notes, actor=inspector)
        if not findings:  # every demo shows the rectification path: the first branch's bulletin board is stale
            item = sheet.items.get(code="SH-1")
            sheet_item_judge(item=item, verdict=Verdict.NONCOMPLIANT, notes="公示栏两个月未更新", actor=inspector)
            findings += 1
        sheet_submit(sheet=sheet, conclusion="总体符合要求，发现的问题限期整改", actor=inspector)
    first = plan.tasks.order_by("office__path", "pk").first()
    if first is not None:
        office_user = User.objects.filter(organization=first.office, username__endswith="_credit").first()
        if office_user is not None:
            task_answer(task=first, answer="已组织专项整改并建立台账，附整改报告", actor=Actor.of(office_user))
            task_accept(task=first, reason="整改到位", actor=inspector)
    plan_close(plan=plan, actor=inspector)
    circular = circular_publish(plan=plan, actor=inspector)
    own = plan_create(
        mode="self",
        kind="quarterly",
        title=f"{start.year}年第{(start.month - 1) // 3 + 1}季度上海局本级信用管理工作自查",
        period_start=start,
        period_end=end,
        offices=[bureau],
        inspectors=[supervisor],
        actor=inspector,
    )
    sheet = own.sheets.get()
    for item in sheet.items.filter(code__in=["6.1.1", "6.1.2"]):
        verdict, notes = judge_from_figures(item, sheet.figures)
        sheet_item_judge(item=item, verdict=verdict, notes=notes, actor=inspector)
    return (
        f"季度督查（{len(branches)}个分支局，{plan.tasks.count()}项整改）已结束，通报{circular.number}已发布；"
        f"本级自查进行中"
    )
