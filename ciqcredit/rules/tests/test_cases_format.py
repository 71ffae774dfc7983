"""Malformed case files are refused with every problem listed, in Chinese, with its line."""

import pytest

from ciqcredit.errors import DomainError
from ciqcredit.rules.cases import CaseFormatError, parse_cases, run_cases
from ciqcredit.rules.params import RuleSetParams


def problems(text: str) -> list[dict]:
    with pytest.raises(CaseFormatError) as caught:
        run_cases(RuleSetParams(), text)
    error = caught.value
    assert isinstance(error, DomainError) and isinstance(error, ValueError)
    assert error.code == "rule_case_format"
    assert error.message.startswith("规则用例格式错误：")
    return error.details["errors"]


def test_invalid_yaml_names_the_line():
    [error] = problems("- name: a\n  expect: {grade: A\n- name: b\n")
    assert error["line"] >= 2 and "YAML 语法错误" in error["message"]


def test_the_top_level_must_be_a_list():
    [error] = problems("name: a\nexpect: {grade: A}\n")
    assert error["line"] == 1 and "用例列表" in error["message"]


def test_every_problem_is_listed_with_its_line_and_case():
    text = """\
- name: 好用例
  expect: {grade: A}
- name: 坏用例
  previous_grade: E
  colour: red
  records:
    - {points: -1}
    - {points: 1, status: deleted, wat: 1}
    - {id: 5, points: 1}
    - {id: 5, points: 2}
    - {act: x}
  expect: {grade: A, rule: nonsense, actions: []}
- name: 好用例
  expect: {grade: A}
- just a string
"""
    errors = problems(text)
    found = {(e["line"], e["field"]) for e in errors}
    assert found >= {
        (4, "previous_grade"),
        (5, "colour"),
        (7, "points"),
        (8, "status"),
        (8, "wat"),
        (10, "id"),
        (11, "points"),
        (12, "rule"),
        (12, "actions"),  # actions is not a periodic expectation
        (13, "name"),
    }
    assert any(e["line"] == 15 and "键值映射" in e["message"] for e in errors)
    assert all(e["case"] == "坏用例" for e in errors if 4 <= e["line"] <= 12)
    assert [e["line"] for e in errors] == sorted(e["line"] for e in errors)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("- expect: {grade: A}\n", "name", "缺少名称"),
        ("- name: a\n", "expect", "缺少期望结果"),
        ("- name: a\n  expect: {}\n", "expect", "至少须有一个字段"),
        ("- name: a\n  kind: monthly\n  expect: {grade: A}\n", "kind", "periodic 或 dynamic"),
        ("- name: a\n  kind: dynamic\n  previous_grade: A\n  expect: {grade: A}\n", "previous_grade", "未知字段"),
        ("- name: a\n  had_business: maybe\n  expect: {grade: A}\n", "had_business", "true 或 false"),
        ("- name: a\n  period_end: 30/09/2016\n  expect: {grade: A}\n", "period_end", "YYYY-MM-DD"),
        ("- name: a\n  records: {points: 1}\n  expect: {grade: A}\n", "records", "应为列表"),
        ("- name: a\n  records: [{points: 1, expect: maybe}]\n  expect: {grade: A}\n", "expect", "无效"),
        ("- name: a\n  kind: dynamic\n  expect: {actions: [{to: B}]}\n", "kind", "缺少字段“kind”"),
        ("- name: a\n  kind: dynamic\n  expect: {actions: [{kind: jump}]}\n", "kind", "无效"),
        ("- name: a\n  kind: dynamic\n  expect: {actions: downgrade}\n", "actions", "应为列表"),
        ("- name: a\n  name: b\n  expect: {grade: A}\n", "name", "重复"),
        ("- name: a\n  expect: {points: 1.5}\n", "points", "非负整数"),
    ],
)
def test_single_problems(text, field, message):
    errors = problems(text)
    assert any(e["field"] == field and message in e["message"] for e in errors), errors


def test_an_empty_file_has_no_cases():
    assert parse_cases("") == [] and parse_cases("# only a comment\n") == []
    assert run_cases(RuleSetParams(), "") == []


def test_quoted_dates_and_defaults_are_accepted():
    [case] = parse_cases('- name: a\n  period_end: "2016-09-30"\n  records: [{points: 2}]\n  expect: {points: 2}\n')
    assert case.period_end.isoformat() == "2016-09-30"
    assert (case.kind, case.had_business, case.new_enterprise, case.previous_grade) == ("periodic", True, False, None)
    [record] = case.records
    assert (record.id, record.item, record.status, record.responsible, record.occurred_on) == (
        1,
        "CASE-1",
        "effective",
        True,
        None,
    )


def test_a_list_where_a_value_belongs_is_named_plainly():
    errors = problems("- name: a\n  previous_grade: [A, B]\n  expect: {grade: A}\n")
    assert [e["message"] for e in errors] == ["字段“previous_grade”的值“（列表或映射）”无效，应为 AA、A、B、C、D 之一"]
