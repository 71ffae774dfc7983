"""The pure rating rules: evaluation periods, point counting, periodic grade, dynamic actions, adjustment.

AA eligibility, a rule of its own (HQ batches on application), is in `ciqcredit.rules.aa`.

Plain functions over plain values and a `RuleSetParams`: no Django models, no database. The set-based
rating engine, the what-if preview, the explanation page and the rule cases (ciqcredit.rules.cases) all
rest on these functions, and the SQL engine's tests use them as the oracle. Every threshold, band, period
and grade comes from the params; nothing here branches on a magic number.

Decisions the engine must reproduce exactly (each is documented where it is made):

- Periods: `params.period.months` long, starting on start_month/start_day. Period starts are aligned on a
  month index counted from year 0 (year * 12 + month), so lengths that divide 12 need no anchor and a
  24-month period starts in even years. Both bounds are inclusive.
- A record belongs to the period of its `occurred_on` (the date of the conduct), not of its discovery,
  verification or entry: points accumulate for conduct within the period (BRIEF.md).
- Why a record did not count: the first reason in `REASON_PRECEDENCE` that applies.
- One act, one item: among records that otherwise count and share a non-empty `act_ref`, only the highest
  points counts (ties: the lowest id); the serious-list points are summed over the same counted records.
- Periodic grade precedence: serious list > new enterprise > no business > AA kept > point band.
- Dynamic actions: downgrade (or control only, at the floor) first, then serious list; both can fire.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ciqcredit.errors import DomainError
from ciqcredit.rules.params import GRADES_DESC, PointBand, RuleSetParams, grade_rank

__all__ = [
    "ACTION_KINDS",
    "ACTION_RULE_LABELS",
    "Action",
    "Decision",
    "InvalidPeriodEnd",
    "PERIODIC_RULE_LABELS",
    "PointsSummary",
    "REASON_LABELS",
    "REASON_PRECEDENCE",
    "RECORD_STATUSES",
    "RecordFact",
    "RecordOutcome",
    "RecordStatus",
    "Refusal",
    "adjustable_grades",
    "adjustment_refusal",
    "count_points",
    "downgrade",
    "downgrade_outcome",
    "dynamic_actions",
    "grade_rank",
    "period_bounds",
    "period_containing",
    "periodic_grade",
    "worse_grade",
]


# --- Grades ---------------------------------------------------------------------------------------


def _check_grade(grade: str, what: str = "等级") -> None:
    if grade not in GRADES_DESC:
        raise ValueError(f"未知的{what}“{grade}”，应为 {'、'.join(GRADES_DESC)} 之一")


def worse_grade(a: str, b: str) -> str:
    """The worse of two grades (D is worst)."""
    _check_grade(a)
    _check_grade(b)
    return a if grade_rank(a) >= grade_rank(b) else b


def downgrade(grade: str, steps: int, floor: str) -> str:
    """`grade` lowered by `steps`, never below `floor`; a grade already at or below the floor is unchanged."""
    _check_grade(grade)
    _check_grade(floor, "下限等级")
    if steps < 0:
        raise ValueError("降级级数不能为负数")
    rank, floor_rank = grade_rank(grade), grade_rank(floor)
    if rank >= floor_rank:
        return grade
    return GRADES_DESC[min(rank + steps, floor_rank)]


def downgrade_outcome(
    params: RuleSetParams, *, current_grade: str | None, controlled: bool, points: int
) -> tuple[str, bool]:
    """What an immediate downgrade does to an enterprise now graded `current_grade` (None: no grade yet):
    the grade it ends with and whether it is controlled (布控). With no grade, the point band gives the grade."""
    rule = params.immediate_downgrade
    grade: str
    if current_grade is None:
        grade = params.band_for(points).grade
    else:
        grade = downgrade(current_grade, rule.steps, rule.floor)
    return grade, rule.controlled or controlled


# --- Evaluation periods ---------------------------------------------------------------------------


class InvalidPeriodEnd(DomainError, ValueError):
    """A date that is not the last day of an evaluation period under the rule set."""

    def __init__(self, message: str, details: dict[str, str]):
        super().__init__("invalid_period_end", message, details)


def _require_date(value: object, what: str) -> dt.date:
    # datetime is a subclass of date; a timestamp here is a bug in the caller, not a date.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a datetime.date, got {type(value).__name__}")
    return value


def _month_start(month_index: int, day: int) -> dt.date:
    return dt.date(month_index // 12, month_index % 12 + 1, day)


def period_containing(params: RuleSetParams, d: dt.date) -> tuple[dt.date, dt.date]:
    """The evaluation period (start, end), both inclusive, that contains `d`."""
    _require_date(d, "d")
    period = params.period
    month_index = d.year * 12 + d.month - 1
    if d.day < period.start_day:
        month_index -= 1  # this month's period start has not come yet
    offset = period.start_month - 1
    start_index = offset + ((month_index - offset) // period.months) * period.months
    start = _month_start(start_index, period.start_day)
    end = _month_start(start_index + period.months, period.start_day) - dt.timedelta(days=1)
    return start, end


def period_bounds(params: RuleSetParams, period_end: dt.date) -> tuple[dt.date, dt.date]:
    """The period (start, end) ending on `period_end`; `InvalidPeriodEnd` when it is not a period's last day."""
    _require_date(period_end, "period_end")
    start, end = period_containing(params, period_end)
    if end != period_end:
        previous_end = start - dt.timedelta(days=1)
        p = params.period
        raise InvalidPeriodEnd(
            f"{period_end.isoformat()} 不是评定周期的截止日：评定周期自每年{p.start_month}月{p.start_day}日起算、"
            f"为期{p.months}个月，最近的截止日为 {previous_end.isoformat()} 或 {end.isoformat()}",
            {"field": "period_end", "previous_end": previous_end.isoformat(), "next_end": end.isoformat()},
        )
    return start, end


# --- Counting points ------------------------------------------------------------------------------

RecordStatus = Literal["effective", "superseded", "revoked", "corrected", "draft", "awaiting_confirmation"]
RECORD_STATUSES: tuple[str, ...] = ("effective", "superseded", "revoked", "corrected", "draft", "awaiting_confirmation")

# Why a record did not count, in the order they are tested: the first that applies is reported.
REASON_PRECEDENCE: tuple[str, ...] = (
    "superseded",
    "revoked",
    "corrected",
    "not_effective",
    "outside_period",
    "not_responsible",
    "same_act_lower",
)
REASON_LABELS: dict[str, str] = {
    "counted": "计入",
    "superseded": "已被同一行为的更高分值条目取代",
    "revoked": "已撤销",
    "corrected": "已更正，以更正后的记录为准",
    "not_effective": "尚未生效（草稿或待确认）",
    "outside_period": "行为发生日期不在本评定周期内",
    "not_responsible": "本企业不是责任主体",
    "same_act_lower": "同一行为只按分值最高的条目计分",
}
_STATUS_REASON = {
    "superseded": "superseded",
    "revoked": "revoked",
    "corrected": "corrected",
    "draft": "not_effective",
    "awaiting_confirmation": "not_effective",
}


@dataclass(frozen=True, slots=True)
class RecordFact:
    """What the rules need to know of one credit record.

    `act_ref`: the act (行为) the record belongs to; None or "" means an act of its own.
    `occurred_on`: the date of the conduct; it alone decides the period the record belongs to.
    `serious` and `penalised`: a serious-violation item, and an administrative penalty was imposed.
    """

    id: int
    item_code: str
    points: int
    occurred_on: dt.date
    act_ref: str | None = None
    status: RecordStatus = "effective"
    responsible: bool = True
    serious: bool = False
    penalised: bool = False
    enters_blacklist: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 0:
            raise ValueError(f"记录 {self.id} 的分值须为非负整数，实为 {self.points!r}")
        if self.status not in RECORD_STATUSES:
            raise ValueError(f"记录 {self.id} 的状态“{self.status}”未知，应为 {'、'.join(RECORD_STATUSES)} 之一")
        _require_date(self.occurred_on, "occurred_on")


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    record: RecordFact
    counted: bool
    reason: str  # "counted" or one of REASON_PRECEDENCE

    @property
    def label(self) -> str:
        return REASON_LABELS[self.reason]


@dataclass(frozen=True, slots=True)
class PointsSummary:
    total: int
    serious_penalised_points: int  # counted records that are serious and drew a penalty
    blacklist_hit: bool  # a counted record of an item that enters the blacklist by itself
    outcomes: tuple[RecordOutcome, ...]  # one per record, in the order given

    @property
    def counted(self) -> tuple[RecordFact, ...]:
        return tuple(o.record for o in self.outcomes if o.counted)

    def outcome_for(self, record_id: int) -> RecordOutcome:
        for outcome in self.outcomes:
            if outcome.record.id == record_id:
                return outcome
        raise KeyError(record_id)


def _first_reason(record: RecordFact, start: dt.date, end: dt.date) -> str | None:
    if record.status != "effective":
        return _STATUS_REASON[record.status]
    if not start <= record.occurred_on <= end:
        return "outside_period"
    if not record.responsible:
        return "not_responsible"
    return None


def count_points(records: Iterable[RecordFact], start: dt.date, end: dt.date) -> PointsSummary:
    """Sum the points of the records that count in the period [start, end], and say why each other one did not."""
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        raise ValueError(f"评定周期的截止日 {end.isoformat()} 早于起始日 {start.isoformat()}")
    records = list(records)
    seen: set[int] = set()
    for record in records:
        if record.id in seen:
            raise ValueError(f"记录编号 {record.id} 重复")
        seen.add(record.id)

    reasons: dict[int, str | None] = {r.id: _first_reason(r, start, end) for r in records}
    # One act, one item: the safety net behind collection's own supersession.
    best_of_act: dict[str, RecordFact] = {}
    for record in records:
        if reasons[record.id] is None and record.act_ref:
            best = best_of_act.get(record.act_ref)
            if best is None or (record.points, -record.id) > (best.points, -best.id):
                best_of_act[record.act_ref] = record
    for record in records:
        if reasons[record.id] is None and record.act_ref and best_of_act[record.act_ref] is not record:
            reasons[record.id] = "same_act_lower"

    outcomes = tuple(RecordOutcome(r, reasons[r.id] is None, reasons[r.id] or "counted") for r in records)
    counted = [o.record for o in outcomes if o.counted]
    return PointsSummary(
        total=sum(r.points for r in counted),
        serious_penalised_points=sum(r.points for r in counted if r.serious and r.penalised),
        blacklist_hit=any(r.enters_blacklist for r in counted),
        outcomes=outcomes,
    )


# --- Periodic evaluation --------------------------------------------------------------------------

PERIODIC_RULE_LABELS: dict[str, str] = {
    "serious_list": "已列入严重失信企业名单",
    "new_enterprise": "新企业，按新企业规则评定",
    "no_business_keep": "本周期无业务，保持上一等级",
    "no_business_fallback": "本周期无业务且无上一等级，评为规定等级",
    "no_business_fixed": "本周期无业务，评为规定等级",
    "aa_kept": "AA级企业本周期计分未超过保持上限，保持AA级",
    "aa_lost": "AA级企业本周期计分超过保持上限，按计分区间评定",
    "band": "按本周期计分所在区间评定",
}
# The order periodic_grade tests its rules in; the first that applies decides.
PERIODIC_PRECEDENCE: tuple[str, ...] = ("serious_list", "new_enterprise", "no_business", "aa_kept", "band")


@dataclass(frozen=True, slots=True)
class Decision:
    grade: str
    rule: str  # one of PERIODIC_RULE_LABELS
    detail: str  # Chinese, for the explanation page

    @property
    def label(self) -> str:
        return PERIODIC_RULE_LABELS[self.rule]


def _band_text(band: PointBand) -> str:
    if band.max_points is None:
        return f"{band.min_points}分及以上"
    if band.max_points == band.min_points:
        return f"{band.min_points}分"
    return f"{band.min_points}–{band.max_points}分"


def periodic_grade(
    params: RuleSetParams,
    *,
    points: int,
    previous_grade: str | None,
    is_new: bool,
    had_business: bool,
    serious_listed: bool,
) -> Decision:
    """The initial grade at periodic evaluation (周期评定), by the first rule of PERIODIC_PRECEDENCE that applies.

    1. on the serious list → params.serious_list.grade (`serious_list`);
    2. a new enterprise → params.new_enterprise.grade (`new_enterprise`);
    3. no business in the period and no points → the previous grade (`no_business_keep`), or
       params.no_business.fallback_grade when there is none (`no_business_fallback`) or when the rule set
       fixes it (`no_business_fixed`). An enterprise with points in the period is graded by its points even
       without declarations: a dormant enterprise that drew penalties or supervision findings must not keep
       a clean grade (a platform decision; the regulation names no such case);
    4. previous grade AA and points ≤ params.aa.keep_max_points → AA (`aa_kept`);
    5. the band for the points (`band`; `aa_lost` when the previous grade was AA).
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise ValueError(f"计分须为非负整数，实为 {points!r}")
    if previous_grade is not None:
        _check_grade(previous_grade, "上一等级")

    if serious_listed:
        grade = params.serious_list.grade
        return Decision(grade, "serious_list", f"已列入严重失信企业名单，评为{grade}级")
    if is_new:
        grade = params.new_enterprise.grade
        return Decision(grade, "new_enterprise", f"新企业，评为{grade}级")
    if not had_business and points == 0:
        fallback = params.no_business.fallback_grade
        if params.no_business.action == "fixed_grade":
            return Decision(fallback, "no_business_fixed", f"本周期无业务，评为{fallback}级")
        if previous_grade is None:
            return Decision(fallback, "no_business_fallback", f"本周期无业务且无上一等级，评为{fallback}级")
        return Decision(previous_grade, "no_business_keep", f"本周期无业务，保持上一等级{previous_grade}级")
    if previous_grade == "AA" and points <= params.aa.keep_max_points:
        return Decision(
            "AA", "aa_kept", f"本周期计分{points}分，未超过AA级保持上限{params.aa.keep_max_points}分，保持AA级"
        )
    band = params.band_for(points)
    if previous_grade == "AA":
        return Decision(
            band.grade,
            "aa_lost",
            f"本周期计分{points}分，超过AA级保持上限{params.aa.keep_max_points}分，"
            f"落入{_band_text(band)}区间，评为{band.grade}级",
        )
    return Decision(band.grade, "band", f"本周期计分{points}分，落入{_band_text(band)}区间，评为{band.grade}级")


# --- Dynamic management ---------------------------------------------------------------------------

ACTION_KINDS: tuple[str, ...] = ("downgrade", "control", "serious_list")
ACTION_RULE_LABELS: dict[str, str] = {
    "immediate_downgrade": "本周期计分达到即时降级分值，即时降级",
    "floor_control": "本周期计分达到即时降级分值，已在降级下限，不再降级，实施布控",
    "serious_list_points": "严重违法且受行政处罚的计分达到严重失信分值，列入严重失信企业名单",
    "serious_list_blacklist": "存在直接列入严重失信企业名单的条目",
}


@dataclass(frozen=True, slots=True)
class Action:
    """A dynamic-management action to open; it waits for the written notice before it takes effect.

    kind `downgrade`: the grade drops to `to_grade`; `control`: the grade cannot drop (already at or below
    the floor, or no grade yet) but 布控 is set; `serious_list`: open a serious-list case towards `to_grade`.
    `controlled`: whether the action sets 布控 when it takes effect.
    """

    kind: str
    rule: str  # one of ACTION_RULE_LABELS
    from_grade: str | None
    to_grade: str | None
    controlled: bool
    detail: str

    @property
    def label(self) -> str:
        return ACTION_RULE_LABELS[self.rule]


def serious_list_points(params: RuleSetParams, summary: PointsSummary) -> int:
    """The points measured against the serious-list threshold: serious penalised points, or all points
    when the rule set does not restrict it to serious penalised items."""
    return summary.serious_penalised_points if params.serious_list.serious_penalised_only else summary.total


def dynamic_actions(
    params: RuleSetParams,
    *,
    current_grade: str | None,
    summary: PointsSummary,
    controlled: bool,
    serious_listed: bool,
    downgraded_this_period: bool,
) -> list[Action]:
    """The actions dynamic management (动态管理) opens now, in order: the immediate downgrade, then the listing.

    Immediate downgrade, when total points ≥ threshold, the enterprise is not already listed and no downgrade
    (or control-only action) of this rule was taken this period:
    - `downgrade` from the current grade by `steps`, not below `floor`, setting 布控 if the rule set says so;
    - at or below the floor (or with no grade yet) the grade does not change: a `control` action when the rule
      set sets 布控 and the enterprise is not controlled yet, else nothing.
    Serious list, when not already listed and the serious-list points reach the threshold or a counted record
    enters the blacklist by itself: `serious_list` towards params.serious_list.grade (rule
    `serious_list_points` when the points reach it, else `serious_list_blacklist`).
    The caller passes `downgraded_this_period=True` once a downgrade or control action was taken this period.
    """
    if current_grade is not None:
        _check_grade(current_grade, "当前等级")
    actions: list[Action] = []
    rule = params.immediate_downgrade
    if summary.total >= rule.threshold and not serious_listed and not downgraded_this_period:
        target = downgrade(current_grade, rule.steps, rule.floor) if current_grade is not None else None
        if target is not None and target != current_grade:
            actions.append(
                Action(
                    "downgrade",
                    "immediate_downgrade",
                    current_grade,
                    target,
                    rule.controlled,
                    f"本周期计分{summary.total}分，达到即时降级分值{rule.threshold}分，由{current_grade}级降为{target}级"
                    + ("并实施布控" if rule.controlled else ""),
                )
            )
        elif rule.controlled and not controlled:
            where = f"已在{current_grade}级" if current_grade is not None else "尚无等级"
            actions.append(
                Action(
                    "control",
                    "floor_control",
                    current_grade,
                    current_grade,
                    True,
                    f"本周期计分{summary.total}分，达到即时降级分值{rule.threshold}分，"
                    f"{where}（降级下限{rule.floor}级），不再降级，实施布控",
                )
            )
    listing = params.serious_list
    listed_points = serious_list_points(params, summary)
    if not serious_listed and (listed_points >= listing.threshold or summary.blacklist_hit):
        by_points = listed_points >= listing.threshold
        what = "严重违法且受行政处罚的计分" if listing.serious_penalised_only else "计分"
        actions.append(
            Action(
                "serious_list",
                "serious_list_points" if by_points else "serious_list_blacklist",
                current_grade,
                listing.grade,
                listing.controlled,
                f"本周期{what}{listed_points}分，达到严重失信分值{listing.threshold}分"
                if by_points
                else "存在直接列入严重失信企业名单的条目",
            )
        )
    return actions


# --- Adjustment of an initial rating (§四(二)) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str  # Chinese


def adjustment_refusal(
    params: RuleSetParams, *, from_grade: str, to_grade: str, department_kind: str | None
) -> Refusal | None:
    """Why an initial rating of `from_grade` may not be adjusted to `to_grade` by an officer of a department of
    `department_kind`, or None when one of the rule set's adjustment rules allows it.

    D and AA are never reached by adjustment, whatever the rules say: D comes only from the serious-list
    procedure (with its notice and HQ approval), AA only from HQ's AA batches.
    """
    _check_grade(from_grade, "初评等级")
    _check_grade(to_grade, "调整后的等级")
    if to_grade == "D":
        return Refusal(
            "d_by_serious_list_only",
            "D级只能经列入严重失信企业名单的程序（书面告知、总局审批）给予，不能通过调整评定结果给予",
        )
    if to_grade == "AA":
        return Refusal("aa_by_batch_only", "AA级只能由总局按批次审批授予，不能通过调整评定结果给予")
    rules = params.adjustment.rules
    by_department = [r for r in rules if department_kind in r.department_kinds]
    if not by_department:
        return Refusal(
            "adjustment_department", "按评定规则，本部门不能调整评定结果，须由规则指定部门的信用管理人员调整"
        )
    by_grades = [r for r in by_department if from_grade in r.from_grades and to_grade in r.to_grades]
    if not by_grades:
        return Refusal("adjustment_not_allowed", f"按评定规则，初评为{from_grade}级的结果不能调整为{to_grade}级")
    steps = abs(grade_rank(from_grade) - grade_rank(to_grade))
    if not any(steps <= r.max_steps for r in by_grades):
        most = max(r.max_steps for r in by_grades)
        return Refusal(
            "adjustment_too_far", f"按评定规则，评定结果最多调整{most}级，{from_grade}级不能调整为{to_grade}级"
        )
    return None


def adjustable_grades(params: RuleSetParams) -> list[str]:
    """The grades some adjustment rule of the rule set leads to, best first (never D or AA)."""
    return [g for g in GRADES_DESC if any(g in rule.to_grades for rule in params.adjustment.rules)]
