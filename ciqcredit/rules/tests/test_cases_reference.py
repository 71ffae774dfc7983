"""The reference cases pass under the reference rule set, cover every rule, and fail when a rule changes."""

import pytest
import yaml

from ciqcredit.rules.cases import parse_cases, reference_cases_yaml, run_cases
from ciqcredit.rules.grading import ACTION_RULE_LABELS, PERIODIC_RULE_LABELS, REASON_LABELS
from ciqcredit.rules.params import ImmediateDowngrade, NewEnterprise, NoBusiness, PointBand, RuleSetParams, SeriousList

REFERENCE = reference_cases_yaml()


def test_every_reference_case_passes_under_the_reference_params():
    outcomes = run_cases(RuleSetParams(), REFERENCE)
    assert len(outcomes) >= 30
    assert [o.message for o in outcomes if not o.passed] == []
    assert all(o.passed and o.message == "" for o in outcomes)


def test_the_file_is_labelled_as_reference_values():
    assert "参考值" in REFERENCE.splitlines()[0]


def test_the_reference_cases_exercise_every_rule_action_and_reason():
    cases = parse_cases(REFERENCE)
    rules_expected = {c.expect.get("rule") for c in cases if c.kind == "periodic"}
    # no_business_fixed needs a rule set that fixes the grade: not a reference value.
    assert rules_expected >= set(PERIODIC_RULE_LABELS) - {"no_business_fixed"}
    action_rules = {a.get("rule") for c in cases for a in c.expect.get("actions", [])}
    assert action_rules >= set(ACTION_RULE_LABELS)
    reasons = {r.expect for c in cases for r in c.records}
    assert reasons >= set(REASON_LABELS)
    expected_grades = {c.expect.get("grade") for c in cases}
    assert expected_grades >= {"AA", "A", "B", "C", "D"}


def _bands(b_max: int) -> tuple[PointBand, ...]:
    return (
        PointBand(min_points=0, max_points=0, grade="A"),
        PointBand(min_points=1, max_points=b_max, grade="B"),
        PointBand(min_points=b_max + 1, grade="C"),
    )


@pytest.mark.parametrize(
    ("params", "failing_case", "in_message"),
    [
        (RuleSetParams(bands=_bands(15)), "计分12分评为C级", "等级期望 C，实际 B"),
        (RuleSetParams(bands=_bands(10)), "计分11分评为B级", "等级期望 B，实际 C"),
        (RuleSetParams(new_enterprise=NewEnterprise(grade="A")), "新企业评为B级", "等级期望 B，实际 A"),
        (
            RuleSetParams(no_business=NoBusiness(action="fixed_grade")),
            "本周期无业务保持上一等级A级",
            "规则期望 no_business_keep，实际 no_business_fixed",
        ),
        (
            RuleSetParams(immediate_downgrade=ImmediateDowngrade(threshold=25)),
            "计分24分即时降一级并布控",
            "动作期望",
        ),
        (
            RuleSetParams(immediate_downgrade=ImmediateDowngrade(floor="D")),
            "C级企业计分24分不低于C级，仅布控",
            "实际 D",
        ),
        (
            RuleSetParams(serious_list=SeriousList(threshold=40)),
            "严重违法且受处罚计分36分列入严重失信企业名单，同时即时降级",
            "serious_list",
        ),
        (
            RuleSetParams(serious_list=SeriousList(serious_penalised_only=False)),
            "计分36分但部分未受行政处罚或非严重违法不列入名单",
            "严重失信计分期望 24，实际 36",
        ),
    ],
)
def test_changing_a_rule_makes_its_case_fail_with_a_useful_message(params, failing_case, in_message):
    outcomes = {o.name: o for o in run_cases(params, REFERENCE)}
    outcome = outcomes[failing_case]
    assert not outcome.passed
    assert outcome.message.startswith(f"用例“{failing_case}”（第{outcome.line}行）未通过：")
    assert in_message in outcome.message
    assert outcome.expected and outcome.actual


def test_a_different_period_start_fails_the_boundary_cases_that_name_their_period():
    from ciqcredit.rules.params import Period

    outcomes = run_cases(RuleSetParams(period=Period(start_month=1)), REFERENCE)
    failing = [o for o in outcomes if not o.passed]
    assert failing and all("不是评定周期的截止日" in o.message and "无法运行" in o.message for o in failing)
    named = {c.name for c in parse_cases(REFERENCE) if c.period_end is not None}
    assert {o.name for o in failing} == named


def test_reference_file_is_plain_yaml_list():
    assert isinstance(yaml.safe_load(REFERENCE), list)
