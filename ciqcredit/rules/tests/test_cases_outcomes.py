"""Running cases: what is compared, what an outcome carries, and the Chinese message on failure."""

from ciqcredit.rules.cases import run_cases
from ciqcredit.rules.params import RuleSetParams

REF = RuleSetParams()


def one(text: str):
    [outcome] = run_cases(REF, text)
    return outcome


def test_only_the_expected_keys_are_compared():
    outcome = one("- name: a\n  records: [{points: 12}]\n  expect: {points: 12}\n")
    assert outcome.passed and outcome.message == ""
    assert outcome.expected == {"points": 12}
    assert outcome.actual["grade"] == "C" and outcome.actual["rule"] == "band"
    assert outcome.actual["period"] == ["2015-10-01", "2016-09-30"]


def test_a_wrong_expectation_fails_with_every_difference():
    outcome = one("- name: 错误期望\n  records: [{points: 12}]\n  expect: {grade: B, rule: aa_kept, points: 11}\n")
    assert not outcome.passed
    assert outcome.message.startswith("用例“错误期望”（第1行）未通过：")
    for part in (
        "等级期望 B，实际 C",
        "规则期望 aa_kept，实际 band",
        "计分期望 11，实际 12",
        "判定依据：本周期计分12分",
    ):
        assert part in outcome.message


def test_record_expectations_are_compared_and_reported_with_labels():
    text = """\
- name: 记录期望
  period_end: 2016-09-30
  records:
    - {points: 1, occurred_on: 2016-10-01, expect: counted}
  expect: {points: 0}
"""
    outcome = one(text)
    assert not outcome.passed
    assert outcome.expected == {"points": 0, "records": {1: "counted"}}
    assert "记录1（第4行）期望 counted（计入），实际 outside_period（行为发生日期不在本评定周期内）" in outcome.message


def test_dynamic_actions_must_match_exactly_in_order():
    base = "- name: d\n  kind: dynamic\n  current_grade: B\n  records: [{points: 36, serious: true, penalised: true}]\n"
    assert one(base + "  expect: {actions: [{kind: downgrade}, {kind: serious_list}]}\n").passed
    swapped = one(base + "  expect: {actions: [{kind: serious_list}, {kind: downgrade}]}\n")
    assert not swapped.passed and "动作期望" in swapped.message
    missing = one(base + "  expect: {actions: [{kind: downgrade}]}\n")
    assert not missing.passed and "serious_list（B→D，serious_list_points，布控）" in missing.message
    wrong_target = one(base + "  expect: {actions: [{kind: downgrade, to: D}, {kind: serious_list}]}\n")
    assert not wrong_target.passed


def test_dynamic_resulting_grade_and_control():
    text = (
        "- name: d\n  kind: dynamic\n  current_grade: A\n  records: [{points: 24}]\n"
        "  expect: {grade: B, controlled: true}\n"
    )
    outcome = one(text)
    assert outcome.passed
    assert outcome.actual["actions"] == [
        {"kind": "downgrade", "rule": "immediate_downgrade", "from": "A", "to": "B", "controlled": True}
    ]


def test_a_period_end_that_does_not_exist_fails_the_case_not_the_file():
    outcomes = run_cases(
        REF,
        "- name: bad\n  period_end: 2016-06-30\n  expect: {points: 0}\n- name: good\n  expect: {points: 0}\n",
    )
    assert [o.passed for o in outcomes] == [False, True]
    assert "无法运行" in outcomes[0].message and "2016-09-30" in outcomes[0].message
    assert outcomes[0].actual == {}


def test_outcomes_keep_file_order_and_lines():
    outcomes = run_cases(REF, "- name: x\n  expect: {grade: A}\n\n- name: y\n  expect: {grade: A}\n")
    assert [(o.name, o.line) for o in outcomes] == [("x", 1), ("y", 4)]
