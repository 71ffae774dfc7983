"""The parameters of a rating rule set: the published, versioned data every grade is computed from.

Nothing in the platform hard-codes a threshold, a period or a window: it reads a `RuleSetParams` from
the rule-set version in force (ciqcredit.catalogue). This module is pure: no database, no Django.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Grade = Literal["AA", "A", "B", "C", "D"]
GRADES_DESC: tuple[str, ...] = ("AA", "A", "B", "C", "D")  # best first
DayUnit = Literal["calendar", "working"]


def grade_rank(grade: str) -> int:
    """0 for AA (best) … 4 for D (worst)."""
    return GRADES_DESC.index(grade)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """The evaluation period (评定周期): points accumulate within one period and do not carry over."""

    months: int = Field(12, ge=1, le=36)
    start_month: int = Field(10, ge=1, le=12)  # reported local practice: 1 Oct – 30 Sep
    start_day: int = Field(1, ge=1, le=28)


class PointBand(_Strict):
    """Points in [min_points, max_points] (max None: no upper bound) give `grade` at periodic evaluation."""

    min_points: int = Field(ge=0)
    max_points: int | None = Field(default=None, ge=0)
    grade: Literal["A", "B", "C", "D"]


class DayPeriod(_Strict):
    days: int = Field(ge=0, le=366)
    unit: DayUnit = "calendar"


class ImmediateDowngrade(_Strict):
    """动态管理：即时降级. Reaching `threshold` points in the period drops the grade by `steps`, not below `floor`."""

    threshold: int = Field(24, ge=1)
    steps: int = Field(1, ge=1, le=4)
    floor: Grade = "C"
    controlled: bool = True  # also sets 布控


class SeriousList(_Strict):
    """严重失信企业名单: `threshold` points from serious items that drew an administrative penalty."""

    threshold: int = Field(36, ge=1)
    serious_penalised_only: bool = True
    grade: Grade = "D"
    controlled: bool = True
    # Procedure (BRIEF.md): notice ≥ 20 days before reporting; defence within 10 days of receipt;
    # the branch answers within 10 days; bureaus report to HQ before the 10th of each month.
    notice_before_report: DayPeriod = DayPeriod(days=20)
    defence: DayPeriod = DayPeriod(days=10)
    answer: DayPeriod = DayPeriod(days=10)
    hq_report_day_of_month: int = Field(10, ge=1, le=28)
    removal_clean_months: int = Field(6, ge=1, le=60)


class NewEnterprise(_Strict):
    """An enterprise registered after the period started has no full record yet."""

    grade: Literal["A", "B", "C"] = "B"


class NoBusiness(_Strict):
    """An enterprise with no declarations in the period: keep the previous grade, or `fallback_grade` if none."""

    action: Literal["keep_previous", "fixed_grade"] = "keep_previous"
    fallback_grade: Literal["A", "B", "C"] = "B"


class AAEligibility(_Strict):
    """AA is granted only by HQ in national batches, on application, when all of these hold."""

    months_at_a: int = Field(12, ge=0)
    clean_years: int = Field(3, ge=0)  # no quality-safety incident, claim or dispute
    max_declaration_error_rate: Decimal = Field(Decimal("0.01"), ge=0, le=1)  # previous year, strictly below
    other_regulators_clean_months: int = Field(12, ge=0)  # commerce, customs, tax
    keep_max_points: int = Field(0, ge=0)  # AA kept at periodic evaluation only while points ≤ this


AdjustableGrade = Literal["A", "B", "C"]  # D comes only from the serious list, AA only from HQ's AA batches


class AdjustmentRule(_Strict):
    """One business department's rule for adjusting an initial rating (§四(二) 具体调整规则由各业务司局制定):
    a result of one of `from_grades` may become one of `to_grades`, at most `max_steps` grades away, by a
    credit officer of one of `department_kinds` (ciqcredit.organizations.roles.DepartmentKind)."""

    from_grades: tuple[Grade, ...] = ("A", "B", "C")
    to_grades: tuple[AdjustableGrade, ...] = ("A", "B", "C")
    max_steps: int = Field(1, ge=1, le=4)
    department_kinds: tuple[str, ...] = ("credit",)


class Adjustment(_Strict):
    """The adjustment rules of the rule set; an adjustment is allowed when one of them allows it."""

    rules: tuple[AdjustmentRule, ...] = (AdjustmentRule(),)


class Tracking(_Strict):
    """§五(二) 跟踪落实: when e-CIQ must report how a decision was carried out, how a monthly cell's share
    inspected is judged, and who answers what by when. Every value is a reference value (参考值)."""

    report_deadline: DayPeriod = DayPeriod(days=5, unit="working")  # a decision unreported after this deviates
    answer_deadline: DayPeriod = DayPeriod(days=10, unit="working")  # the organization states cause and rectification
    forward_deadline: DayPeriod = DayPeriod(days=5, unit="working")  # the bureau reviews and forwards to HQ
    acknowledge_deadline: DayPeriod = DayPeriod(days=10, unit="working")  # the HQ department closes or returns
    # The share inspected in an organization × grade × area × month is flagged when it lies outside the
    # binomial tolerance at this confidence level (two-sided), for cells of at least `min_cell_decisions`.
    confidence: Decimal = Field(Decimal("0.99"), gt=0, lt=1)
    min_cell_decisions: int = Field(30, ge=1)
    # The HQ business department (主管业务司局) that owns each area's measures and receives the feedback.
    departments: dict[str, str] = {
        "approval": "通关业务司",
        "declaration_release": "通关业务司",
        "inspection": "检验监管司",
        "daily_supervision": "检验监管司",
    }


class Repair(_Strict):
    """信用修复: when an enterprise on the serious list may apply online to be removed. Reference values (参考值)
    after the customs rules BRIEF.md reports for violation-count listings; the removal itself then follows
    `serious_list.removal_clean_months` from the acceptance (BRIEF.md's procedure)."""

    clean_months: int = Field(6, ge=0, le=60)  # since the listing and since the last effective record
    reapply_months: int = Field(3, ge=0, le=60)  # after a rejected application or a refused removal
    review: DayPeriod = DayPeriod(days=20)  # the office accepts or rejects an application within this


class Disclosure(_Strict):
    """What the public site shows of a grade (公开). The regulation publishes the serious list and HQ's AA batches;
    other grades are not published, and a grade certificate issued to the enterprise proves them instead."""

    public_grades: tuple[Grade, ...] = ("AA",)


class Objection(_Strict):
    """异议 (issue 13): an enterprise objects to a record within `window` of the day the record became visible
    to it (effective); the collecting department reviews the objection within `review` of its filing."""

    window: DayPeriod = DayPeriod(days=20)
    review: DayPeriod = DayPeriod(days=20)


class RuleSetParams(_Strict):
    period: Period = Period()
    bands: tuple[PointBand, ...] = (
        PointBand(min_points=0, max_points=0, grade="A"),
        PointBand(min_points=1, max_points=11, grade="B"),
        PointBand(min_points=12, max_points=None, grade="C"),
    )
    aa: AAEligibility = AAEligibility()
    immediate_downgrade: ImmediateDowngrade = ImmediateDowngrade()
    serious_list: SeriousList = SeriousList()
    new_enterprise: NewEnterprise = NewEnterprise()
    no_business: NoBusiness = NoBusiness()
    confirmation_window: DayPeriod = DayPeriod(days=5)  # §四(二): confirm within 5 days of the initial rating
    adjustment_window: DayPeriod = DayPeriod(days=10)  # adjust no later than 10 days after it
    collection_deadline: DayPeriod = DayPeriod(days=5, unit="working")  # §三(六)
    # §六(二) asks whether collected information is reviewed in time; the guide sets no period, so the
    # reference value measures review delays like collection delays (5 working days from submission).
    review_deadline: DayPeriod = DayPeriod(days=5, unit="working")
    # §三(八) sets no delivery period for the written notice; the reference value gives staff 10 working days
    # from drafting, after which the notice shows as overdue.
    notice_delivery: DayPeriod = DayPeriod(days=10, unit="working")
    # A notice sent to the enterprise's account is delivered when one of its users opens it, or this long after
    # it was sent, whichever comes first (reference: 10 days).
    notice_electronic_delivery: DayPeriod = DayPeriod(days=10)
    objection: Objection = Objection()
    adjustment: Adjustment = Adjustment()
    tracking: Tracking = Tracking()
    repair: Repair = Repair()
    disclosure: Disclosure = Disclosure()

    @model_validator(mode="after")
    def _bands_cover_all_points(self) -> "RuleSetParams":
        bands = sorted(self.bands, key=lambda b: b.min_points)
        if not bands or bands[0].min_points != 0:
            raise ValueError("分值区间须从0分开始")
        for before, after in zip(bands, bands[1:], strict=False):
            if before.max_points is None or after.min_points != before.max_points + 1:
                raise ValueError(
                    f"分值区间须连续且不重叠：{before.min_points}–{before.max_points} 之后应从 "
                    f"{(before.max_points or 0) + 1} 分开始"
                )
        if bands[-1].max_points is not None:
            raise ValueError("最后一个分值区间须无上限")
        for band in bands:
            if band.max_points is not None and band.max_points < band.min_points:
                raise ValueError("分值区间上限不能小于下限")
        return self

    def band_for(self, points: int) -> PointBand:
        for band in self.bands:
            if points >= band.min_points and (band.max_points is None or points <= band.max_points):
                return band
        raise AssertionError("bands are validated to cover every point total")


REFERENCE_PARAMS = RuleSetParams()


def params_from_reference(stored: dict) -> list[str]:
    """The top-level parameters a stored rule set does not set (published before they existed): they take
    their reference value, and decisions resting on them record it."""
    return [name for name in RuleSetParams.model_fields if name not in stored]
