"""Demo steps after the registry: the periodic evaluation of the period before last (confirmed everywhere, so
enterprises carry grades through the year), a year of credit records (whose dynamic cases move real grades),
e-CIQ's monthly activity, and the evaluation of the period that ended last, rated on its ninth day as offices do
and confirmed by most organizations; the results one left unconfirmed were closed by the daily job when the window
ended (taking effect as computed, flagged for supervision), so that worklists, explanations, supervision figures
and grade pages have something true to show."""

import datetime as dt
import random

from django.test.utils import override_settings

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.administration.demo.run import DemoRun
from ciqcredit.administration.reference import load_reference_data
from ciqcredit.catalogue.selectors import ruleset_on
from ciqcredit.collection.demo import demo_records as collect_demo_records
from ciqcredit.dynamic.demo import CaseDays
from ciqcredit.dynamic.models import CaseStatus, DynamicCase
from ciqcredit.dynamic.services import case_confirm
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import HQ_CODE, Role
from ciqcredit.rating.models import EvaluationResult, EvaluationRun, MonthlyActivity, ResultStatus
from ciqcredit.rating.services.activity import activity_receive
from ciqcredit.rating.services.confirmation import evaluations_close, results_confirm
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rules.grading import period_containing

DORMANT_SHARE = 0.05  # enterprises with no declarations in the period: the no-business rule shows
# Organizations that did not confirm the last evaluation in time: the daily job closed their results.
WAITING_ORGANIZATIONS = ("381300",)  # 镇海局
RATED_AFTER_DAYS = 9  # the earlier evaluation ran on the ninth day after its period ended, and was confirmed then


def last_ended_period(today: dt.date) -> tuple[dt.date, dt.date]:
    ruleset = ruleset_on(today)
    assert ruleset is not None  # the demo runs after setup loaded the reference rules
    params = ruleset.rule_params
    current_start, _ = period_containing(params, today)
    return period_containing(params, current_start - dt.timedelta(days=1))


RECORDS_PER_ENTERPRISE = 2 / 3  # about 2,000 records a year over the default 3,000 enterprises


def demo_reference(run: DemoRun) -> str:
    """The demo stands on the reference data (calendar, rules); `setup` loads it, and so does this step."""
    load_reference_data(actor=run.actor)
    return "机构、工作日历与参考信用规则已就绪"


def demo_records(run: DemoRun) -> str:
    count = max(50, int(run.enterprises * RECORDS_PER_ENTERPRISE))
    officers = {
        u.organization_id: u
        for u in User.objects.filter(is_system=False, is_active=True).order_by("-id")
        if Role.BUREAU_CREDIT in u.roles
    }
    # Offices carry their cases on day by day: proposals confirmed, notices delivered, listings sent to HQ; the
    # period that ended last is rated on its ninth day, in the same timeline, and the daily job closes windows.
    case_days = CaseDays(rng=random.Random(run.seed + 3), end=clock.today())
    start, end = last_ended_period(clock.today())

    def each_day(day: dt.date) -> None:
        _confirm_proposals(day, officers)
        rated = EvaluationRun.objects.filter(period_end=end).exists()
        if day >= end + dt.timedelta(days=RATED_AFTER_DAYS) and not rated:
            _rate_last_period(run, start, end)
        evaluations_close(actor=Actor.job("close_evaluations"))
        case_days(day)

    return collect_demo_records(
        rng=random.Random(run.seed),
        actor=run.actor,
        today=clock.today(),
        count=count,
        each_day=each_day,
    )


def _confirm_proposals(day: dt.date, officers: dict) -> None:
    """The responsible office's credit officer confirms a downgrade proposal two days after it opened (§四(二));
    the most recent ones are left on the worklist."""
    waiting = DynamicCase.objects.filter(
        status=CaseStatus.AWAITING_CONFIRMATION,
        confirm_until__gte=day,
        opened_at__lte=clock.now() - dt.timedelta(days=2),
    )
    for case in waiting.order_by("id"):
        officer = officers.get(case.organization_id)
        if officer is not None:
            case_confirm(case=case, actor=Actor.of(officer))


def demo_activity(run: DemoRun) -> str:
    """Monthly declarations and declaration errors for the last ended period, as e-CIQ would report them."""
    start, end = last_ended_period(clock.today())
    if MonthlyActivity.objects.filter(month=end.replace(day=1)).exists():
        return "已有上一评定周期的月度业务量，跳过"
    return _activity(run, start, end, seed=run.seed + 1)


def _activity(run: DemoRun, start: dt.date, end: dt.date, *, seed: int) -> str:
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    rng = random.Random(seed)
    items = []
    for code in (
        Enterprise.objects.filter(status="active").order_by("credit_code").values_list("credit_code", flat=True)
    ):
        if rng.random() < DORMANT_SHARE:
            continue
        scale = rng.choice([2, 5, 20, 60, 200])
        for m in months:
            declarations = max(0, int(rng.gauss(scale, scale / 3)))
            errors = sum(1 for _ in range(declarations) if rng.random() < 0.008)
            items.append({"credit_code": code, "month": m, "declarations": declarations, "declaration_errors": errors})
    eciq = User.objects.get(username="eciq-main")
    result = activity_receive(items=items, actor=Actor.of(eciq))
    return f"月度业务量 {len(items)} 条（{len(months)} 个月），拒绝 {len(result.rejected)} 条"


def _confirm_everywhere(evaluation: EvaluationRun, *, waiting: tuple[str, ...] = ()) -> int:
    """Each office's credit officer confirms the results it is responsible for, except the offices left waiting."""
    confirmed = 0
    officers = User.objects.filter(is_system=False).exclude(organization__code__in=(HQ_CODE, *waiting))
    for officer in (u for u in officers.select_related("organization") if Role.BUREAU_CREDIT in u.roles):
        own = EvaluationResult.objects.filter(
            run=evaluation, organization=officer.organization, status=ResultStatus.PENDING
        ).values_list("enterprise__credit_code", flat=True)
        if own:
            confirmed += results_confirm(run=evaluation, actor=Actor.of(officer), credit_codes=list(own))
    return confirmed


def demo_earlier_evaluation(run: DemoRun) -> str:
    """The period before last, rated and confirmed everywhere shortly after it ended: the grades in force
    while this year's credit records arrive, so dynamic management has grades to move."""
    if EvaluationRun.objects.exists():
        return "已有周期评定，跳过"
    last_start, _ = last_ended_period(clock.today())
    ruleset = ruleset_on(last_start)
    assert ruleset is not None, "setup publishes the reference rule set from 2014"
    start, end = period_containing(ruleset.rule_params, last_start - dt.timedelta(days=1))
    activity = _activity(run, start, end, seed=run.seed + 2)
    with override_settings(CIQCREDIT_TODAY=end + dt.timedelta(days=RATED_AFTER_DAYS)):
        evaluation = evaluation_run(period_end=end, actor=run.actor)
        confirmed = _confirm_everywhere(evaluation)
    return f"评定周期截至 {end:%Y-%m-%d}：{activity}；{evaluation.enterprises} 家参评，已确认 {confirmed} 家"


def _rate_last_period(run: DemoRun, start: dt.date, end: dt.date) -> EvaluationRun:
    """The period that ended last, rated (with e-CIQ's activity of the period) and confirmed by every office but
    those left waiting."""
    if not MonthlyActivity.objects.filter(month=end.replace(day=1)).exists():
        _activity(run, start, end, seed=run.seed + 1)
    evaluation = evaluation_run(period_end=end, actor=run.actor)
    _confirm_everywhere(evaluation, waiting=WAITING_ORGANIZATIONS)
    return evaluation


def demo_evaluation(run: DemoRun) -> str:
    """The period that ended last: rated in the records' timeline (here only when records were there before)."""
    start, period_end = last_ended_period(clock.today())
    evaluation = EvaluationRun.objects.filter(period_end=period_end).first()
    if evaluation is None:
        evaluation = _rate_last_period(run, start, period_end)
        evaluations_close(actor=Actor.job("close_evaluations"))
    results = EvaluationResult.objects.filter(run=evaluation)
    confirmed = results.filter(status__in=(ResultStatus.CONFIRMED, ResultStatus.ADJUSTED)).count()
    closed = results.filter(status=ResultStatus.CLOSED).count()
    by_grade = "、".join(f"{g}级{n}家" for g, n in sorted((evaluation.by_grade or {}).items()) if n)
    return (
        f"评定周期截至 {period_end:%Y-%m-%d}（{evaluation.rated_on:%Y-%m-%d} 初评）：{evaluation.enterprises} 家"
        f"（{by_grade}）；已确认 {confirmed} 家，{closed} 家未在确认期内确认、期满按初评生效"
    )


def demo_sharing(run: DemoRun) -> str:
    """Partner regulators, their lists and agreements (§五(三)), before the decisions that apply the lists."""
    from ciqcredit.administration.demo.run import ClientLine
    from ciqcredit.sharing.demo import demo_sharing as make_sharing

    secrets: list[tuple[str, str, str, str]] = []
    summary = make_sharing(rng=random.Random(run.seed + 11), actor=run.actor, today=clock.today(), secrets=secrets)
    run.clients.extend(ClientLine(*line) for line in secrets)
    return summary


def demo_decisions(run: DemoRun) -> str:
    """Release decisions e-CIQ asked for over the last three months (after the grades they rest on)."""
    from ciqcredit.application.demo import demo_decisions as make_decisions

    per_day = max(20, run.enterprises // 15)
    eciq = User.objects.get(username="eciq-main")
    return make_decisions(rng=random.Random(run.seed + 9), client=eciq, today=clock.today(), per_day=per_day)


def demo_executions(run: DemoRun) -> str:
    """e-CIQ's reports of how the decisions were carried out, with slips at one branch, and the daily check."""
    from ciqcredit.tracking.demo import demo_executions as make_executions

    eciq = User.objects.get(username="eciq-main")
    return make_executions(rng=random.Random(run.seed + 10), client=eciq, today=clock.today())
