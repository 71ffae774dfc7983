"""AA eligibility: the reported conditions an enterprise must meet before HQ may grant AA in a national batch.

Pure, like `ciqcredit.rules.grading`: plain values and a `RuleSetParams` in, one `Condition` per rule out, each
with the fact it was judged on, so the application page can show which conditions hold.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ciqcredit.rules.grading import _check_grade
from ciqcredit.rules.params import RuleSetParams

AA_CONDITION_CODES: tuple[str, ...] = (
    "current_grade_a",
    "months_at_a",
    "clean_years",
    "declaration_error_rate",
    "other_regulators_clean",
    "not_serious_listed",
)


@dataclass(frozen=True, slots=True)
class Condition:
    code: str  # one of AA_CONDITION_CODES
    label: str  # Chinese, with the rule set's values
    holds: bool
    detail: str  # Chinese, with the enterprise's values


def _percent(rate: Decimal) -> str:
    """At most two decimals (0.4926108…% reads 0.49%); the comparison itself uses the exact rate."""
    return f"{(rate * 100).quantize(Decimal('0.01')).normalize():f}%"


def aa_eligibility(
    params: RuleSetParams,
    *,
    months_at_a: int,
    clean_years_ok: bool,
    declaration_error_rate: Decimal | None,
    other_regulators_clean_months: int,
    current_grade: str | None,
    serious_listed: bool,
) -> list[Condition]:
    """Every AA condition of the rule set, in AA_CONDITION_CODES order, with whether it holds.

    `months_at_a`: months continuously at A up to now; `clean_years_ok`: no quality-safety incident, claim or
    dispute in the last params.aa.clean_years years (the caller checks it); `declaration_error_rate`: the
    previous year's, None when the enterprise made no declaration then (the condition does not hold: there
    is nothing to measure); `other_regulators_clean_months`: months without a dishonesty record at commerce,
    customs or tax.
    """
    aa = params.aa
    if current_grade is not None:
        _check_grade(current_grade, "当前等级")
    if declaration_error_rate is not None and not isinstance(declaration_error_rate, Decimal):
        raise TypeError("declaration_error_rate must be a Decimal")
    if months_at_a < 0 or other_regulators_clean_months < 0:
        raise ValueError("月数不能为负数")
    rate_ok = declaration_error_rate is not None and declaration_error_rate < aa.max_declaration_error_rate
    return [
        Condition(
            "current_grade_a",
            "当前为A级",
            current_grade == "A",
            f"当前等级：{current_grade}级" if current_grade else "当前尚无等级",
        ),
        Condition(
            "months_at_a",
            f"连续{aa.months_at_a}个月以上为A级",
            months_at_a >= aa.months_at_a,
            f"已连续{months_at_a}个月为A级",
        ),
        Condition(
            "clean_years",
            f"近{aa.clean_years}年未发生质量安全事故、索赔或纠纷",
            clean_years_ok,
            "未发生" if clean_years_ok else "发生过质量安全事故、索赔或纠纷",
        ),
        Condition(
            "declaration_error_rate",
            f"上一年度报检差错率低于{_percent(aa.max_declaration_error_rate)}",
            rate_ok,
            f"上一年度报检差错率{_percent(declaration_error_rate)}"
            if declaration_error_rate is not None
            else "上一年度无报检数据",
        ),
        Condition(
            "other_regulators_clean",
            f"在商务、海关、税务等部门连续{aa.other_regulators_clean_months}个月以上无失信记录",
            other_regulators_clean_months >= aa.other_regulators_clean_months,
            f"已连续{other_regulators_clean_months}个月无失信记录",
        ),
        Condition(
            "not_serious_listed",
            "未列入严重失信企业名单",
            not serious_listed,
            "已列入严重失信企业名单" if serious_listed else "未列入",
        ),
    ]


def aa_eligible(conditions: Sequence[Condition]) -> bool:
    """All conditions hold (and there is at least one)."""
    return bool(conditions) and all(c.holds for c in conditions)
