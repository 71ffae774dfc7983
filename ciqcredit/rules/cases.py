"""Rule cases: example records in, grade and actions out, in YAML, run against a rule set's parameters.

A rule set carries its cases; publishing is refused while any case fails (issue 3, item 5). Cases run on
the pure rules of ciqcredit.rules.grading, so they need no database.

Format: a YAML list of cases (an empty file is an empty list)::

    - name: 计分12分评为C级          # required, unique in the file
      kind: periodic                 # periodic (default) | dynamic
      period_end: 2016-09-30         # optional; default: the period containing DEFAULT_PERIOD_DAY (2016-01-01),
                                     # i.e. 2015-10-01 – 2016-09-30 under the reference period
      serious_listed: false          # optional, default false (both kinds)
      # periodic only:
      previous_grade: B              # optional, default none
      new_enterprise: false          # optional, default false
      had_business: true             # optional, default true
      # dynamic only:
      current_grade: B               # optional, default none
      controlled: false              # optional, default false (already under 布控)
      downgraded_this_period: false  # optional, default false
      records:                       # optional, default none
        - points: 12                 # required, integer ≥ 0
          id: 1                      # optional, default the position (1, 2, …); unique in the case
          item: ITEM-1               # optional item code, default CASE-<id>
          act: act-1                 # optional act reference (one act, one item)
          occurred_on: 2016-09-30    # optional, default the period's first day
          status: effective          # optional: effective | superseded | revoked | corrected | draft |
                                     #           awaiting_confirmation
          responsible: true          # optional, default true
          serious: false             # optional, default false
          penalised: false           # optional, default false
          enters_blacklist: false    # optional, default false
          expect: counted            # optional: counted or the reason it does not count (grading.REASON_LABELS)
      expect:                        # required, at least one key; only the keys given are compared
        # periodic: grade, rule (grading.PERIODIC_RULE_LABELS), points, serious_points
        # dynamic:  actions (the exact list, in order; each {kind, rule?, from?, to?, controlled?}),
        #           grade and controlled (after the actions take effect), points, serious_points
        grade: C
        rule: band

Errors: a file that is not valid YAML or breaks this format (unknown key, wrong type, duplicate name, …)
raises `CaseFormatError` listing every problem with its line, so a rule set can be refused on save with
all of them; a well-formed case whose result differs from its expectation gives a failing `CaseOutcome`
with a Chinese message. A `period_end` that is not a period end under the params is such a failure, not a
format error, since it depends on the params.
"""

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ciqcredit.errors import DomainError
from ciqcredit.rules import grading
from ciqcredit.rules.params import GRADES_DESC, RuleSetParams

__all__ = [
    "DEFAULT_PERIOD_DAY",
    "CaseFormatError",
    "CaseOutcome",
    "RuleCase",
    "parse_cases",
    "reference_cases_yaml",
    "run_cases",
]

DEFAULT_PERIOD_DAY = dt.date(2016, 1, 1)  # a case without period_end is evaluated in the period containing it

_COMMON_KEYS = {"name", "kind", "period_end", "serious_listed", "records", "expect"}
_KIND_KEYS = {
    "periodic": {"previous_grade", "new_enterprise", "had_business"},
    "dynamic": {"current_grade", "controlled", "downgraded_this_period"},
}
_EXPECT_KEYS = {
    "periodic": {"grade", "rule", "points", "serious_points"},
    "dynamic": {"actions", "grade", "controlled", "points", "serious_points"},
}
_RECORD_KEYS = {
    "id",
    "item",
    "points",
    "act",
    "occurred_on",
    "status",
    "responsible",
    "serious",
    "penalised",
    "enters_blacklist",
    "expect",
}
_ACTION_KEYS = {"kind", "rule", "from", "to", "controlled"}
_RECORD_EXPECT = ("counted", *grading.REASON_PRECEDENCE)


class CaseFormatError(DomainError, ValueError):
    """The case file is not valid YAML or breaks the case format; `errors` lists every problem."""

    def __init__(self, errors: list[dict[str, Any]]):
        errors = sorted(errors, key=lambda e: e.get("line") or 0)
        self.errors = errors
        shown = "；".join(_error_text(e) for e in errors[:20])
        more = f"；等（共{len(errors)}处）" if len(errors) > 20 else ""
        super().__init__("rule_case_format", f"规则用例格式错误：{shown}{more}", {"errors": errors})


def _error_text(error: dict[str, Any]) -> str:
    where = f"第{error['line']}行" if error.get("line") else ""
    case = f"用例“{error['case']}”" if error.get("case") else ""
    return f"{where}{' ' if where and case else ''}{case}{'：' if where or case else ''}{error['message']}"


@dataclass(frozen=True)
class RecordSpec:
    id: int
    line: int
    points: int
    item: str
    act: str | None
    occurred_on: dt.date | None
    status: grading.RecordStatus
    responsible: bool
    serious: bool
    penalised: bool
    enters_blacklist: bool
    expect: str | None


@dataclass(frozen=True)
class RuleCase:
    name: str
    kind: str
    line: int
    period_end: dt.date | None
    serious_listed: bool
    previous_grade: str | None
    new_enterprise: bool
    had_business: bool
    current_grade: str | None
    controlled: bool
    downgraded_this_period: bool
    records: tuple[RecordSpec, ...]
    expect: dict[str, Any]


@dataclass(frozen=True)
class CaseOutcome:
    name: str
    passed: bool
    expected: dict[str, Any]
    actual: dict[str, Any]
    message: str  # "" when passed; Chinese otherwise
    line: int = 0


# --- Parsing --------------------------------------------------------------------------------------


class _Collection:
    def __str__(self) -> str:
        return "（列表或映射）"


_COLLECTION = _Collection()


@dataclass
class _Parser:
    loader: yaml.SafeLoader
    errors: list[dict[str, Any]] = field(default_factory=list)
    case: str = ""

    def error(self, node: yaml.Node | None, message: str, key: str = "") -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.errors.append({"line": line, "case": self.case, "field": key, "message": message})

    def mapping(self, node: yaml.Node, allowed: set[str], what: str) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what}应为键值映射")
            return None
        result: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key not in allowed:
                shown = key if key is not None else "（非文本键）"
                self.error(key_node, f"{what}中有未知字段“{shown}”，允许的字段：{'、'.join(sorted(allowed))}", str(key))
            elif key in result:
                self.error(key_node, f"{what}中字段“{key}”重复", key)
            else:
                result[key] = value_node
        return result

    def scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return _COLLECTION  # a list or mapping where a value was expected: callers reject it by type
        return self.loader.construct_object(node)

    def text(self, fields: dict[str, yaml.Node], key: str, default: str | None = None) -> str | None:
        if key not in fields:
            return default
        value = self.scalar(fields[key])
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
            self.error(fields[key], f"字段“{key}”应为非空文本", key)
            return default
        return str(value).strip()

    def flag(self, fields: dict[str, yaml.Node], key: str, default: bool) -> bool:
        if key not in fields:
            return default
        value = self.scalar(fields[key])
        if not isinstance(value, bool):
            self.error(fields[key], f"字段“{key}”应为 true 或 false", key)
            return default
        return value

    def count(self, fields: dict[str, yaml.Node], key: str) -> int | None:
        if key not in fields:
            return None
        value = self.scalar(fields[key])
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(fields[key], f"字段“{key}”应为非负整数", key)
            return None
        return value

    def choice(self, fields: dict[str, yaml.Node], key: str, allowed: tuple[str, ...], default: Any = None) -> Any:
        if key not in fields:
            return default
        value = self.scalar(fields[key])
        if not isinstance(value, str) or value not in allowed:
            self.error(fields[key], f"字段“{key}”的值“{value}”无效，应为 {'、'.join(allowed)} 之一", key)
            return default
        return value

    def date(self, fields: dict[str, yaml.Node], key: str) -> dt.date | None:
        if key not in fields:
            return None
        value = self.scalar(fields[key])
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(fields[key], f"字段“{key}”应为日期（YYYY-MM-DD）", key)
        return None


def _parse_record(p: _Parser, node: yaml.Node, position: int) -> RecordSpec | None:
    fields = p.mapping(node, _RECORD_KEYS, f"第{position}条记录")
    if fields is None:
        return None
    points = p.count(fields, "points")
    if "points" not in fields:
        p.error(node, f"第{position}条记录缺少字段“points”", "points")
    record_id = p.count(fields, "id")
    record_id = position if record_id is None else record_id
    spec = RecordSpec(
        id=record_id,
        line=node.start_mark.line + 1,
        points=points or 0,
        item=p.text(fields, "item", f"CASE-{record_id}") or f"CASE-{record_id}",
        act=p.text(fields, "act"),
        occurred_on=p.date(fields, "occurred_on"),
        status=p.choice(fields, "status", grading.RECORD_STATUSES, "effective"),
        responsible=p.flag(fields, "responsible", True),
        serious=p.flag(fields, "serious", False),
        penalised=p.flag(fields, "penalised", False),
        enters_blacklist=p.flag(fields, "enters_blacklist", False),
        expect=p.choice(fields, "expect", _RECORD_EXPECT),
    )
    return spec if points is not None else None


def _parse_expected_action(p: _Parser, node: yaml.Node, position: int) -> dict[str, Any] | None:
    fields = p.mapping(node, _ACTION_KEYS, f"期望的第{position}个动作")
    if fields is None:
        return None
    if "kind" not in fields:
        p.error(node, f"期望的第{position}个动作缺少字段“kind”", "kind")
    action: dict[str, Any] = {"kind": p.choice(fields, "kind", grading.ACTION_KINDS)}
    if "rule" in fields:
        action["rule"] = p.choice(fields, "rule", tuple(grading.ACTION_RULE_LABELS))
    for key in ("from", "to"):
        if key in fields:
            action[key] = p.choice(fields, key, GRADES_DESC)
    if "controlled" in fields:
        action["controlled"] = p.flag(fields, "controlled", False)
    return action


def _parse_expect(p: _Parser, node: yaml.Node, kind: str) -> dict[str, Any]:
    fields = p.mapping(node, _EXPECT_KEYS[kind], "期望结果（expect）")
    if fields is None:
        return {}
    if not fields:
        p.error(node, "期望结果（expect）至少须有一个字段", "expect")
    expect: dict[str, Any] = {}
    if "grade" in fields:
        expect["grade"] = p.choice(fields, "grade", GRADES_DESC)
    if "rule" in fields:
        expect["rule"] = p.choice(fields, "rule", tuple(grading.PERIODIC_RULE_LABELS))
    for key in ("points", "serious_points"):
        if key in fields:
            expect[key] = p.count(fields, key)
    if "controlled" in fields:
        expect["controlled"] = p.flag(fields, "controlled", False)
    if "actions" in fields:
        actions_node = fields["actions"]
        if not isinstance(actions_node, yaml.SequenceNode):
            p.error(actions_node, "actions 应为列表（没有动作时写 []）", "actions")
        else:
            expect["actions"] = [_parse_expected_action(p, n, i) for i, n in enumerate(actions_node.value, 1)]
    return expect


def _parse_case(p: _Parser, node: yaml.Node, position: int) -> RuleCase | None:
    p.case = ""
    if not isinstance(node, yaml.MappingNode):
        p.error(node, f"第{position}个用例应为键值映射")
        return None
    name_node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "name"), None)
    name = p.scalar(name_node) if name_node is not None else None
    p.case = str(name) if isinstance(name, str | int) and not isinstance(name, bool) else f"第{position}个用例"
    kind_node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "kind"), None)
    kind = p.scalar(kind_node) if kind_node is not None else "periodic"
    if kind not in _KIND_KEYS:
        p.error(kind_node, f"字段“kind”的值“{kind}”无效，应为 periodic 或 dynamic 之一", "kind")
        return None
    fields = p.mapping(node, _COMMON_KEYS | _KIND_KEYS[kind], f"{kind}用例")
    if fields is None:
        return None
    if p.text(fields, "name") is None:
        p.error(node, "用例缺少名称（name）", "name")
    if "expect" not in fields:
        p.error(node, "用例缺少期望结果（expect）", "expect")
    records: list[RecordSpec] = []
    if "records" in fields:
        records_node = fields["records"]
        if not isinstance(records_node, yaml.SequenceNode):
            p.error(records_node, "records 应为列表", "records")
        else:
            for i, record_node in enumerate(records_node.value, 1):
                spec = _parse_record(p, record_node, i)
                if spec is not None:
                    if any(r.id == spec.id for r in records):
                        p.error(record_node, f"记录编号 {spec.id} 在本用例中重复", "id")
                    else:
                        records.append(spec)
    return RuleCase(
        name=p.case,
        kind=kind,
        line=node.start_mark.line + 1,
        period_end=p.date(fields, "period_end"),
        serious_listed=p.flag(fields, "serious_listed", False),
        previous_grade=p.choice(fields, "previous_grade", GRADES_DESC),
        new_enterprise=p.flag(fields, "new_enterprise", False),
        had_business=p.flag(fields, "had_business", True),
        current_grade=p.choice(fields, "current_grade", GRADES_DESC),
        controlled=p.flag(fields, "controlled", False),
        downgraded_this_period=p.flag(fields, "downgraded_this_period", False),
        records=tuple(records),
        expect=_parse_expect(p, fields["expect"], kind) if "expect" in fields else {},
    )


def parse_cases(cases_yaml: str) -> list[RuleCase]:
    """Parse and validate a case file; `CaseFormatError` lists every problem found."""
    loader = yaml.SafeLoader(cases_yaml)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            raise CaseFormatError(
                [
                    {
                        "line": mark.line + 1 if mark else None,
                        "case": "",
                        "field": "",
                        "message": f"YAML 语法错误：{problem}",
                    }
                ]
            ) from exc
        if root is None:
            return []
        parser = _Parser(loader)
        if not isinstance(root, yaml.SequenceNode):
            parser.error(root, "用例文件应为用例列表（每个用例以“- name: …”开头）")
            raise CaseFormatError(parser.errors)
        cases: list[RuleCase] = []
        names: set[str] = set()
        for position, node in enumerate(root.value, 1):
            case = _parse_case(parser, node, position)
            if case is None:
                continue
            if case.name in names:
                parser.error(node, f"用例名称“{case.name}”重复", "name")
            names.add(case.name)
            cases.append(case)
        if parser.errors:
            raise CaseFormatError(parser.errors)
        return cases
    finally:
        loader.dispose()


def reference_cases_yaml() -> str:
    """The reference cases shipped with the reference rule set (reference values, see BRIEF.md)."""
    return resources.files("ciqcredit.rules").joinpath("reference_cases.yaml").read_text(encoding="utf-8")


# --- Running --------------------------------------------------------------------------------------


def _facts(case: RuleCase, start: dt.date) -> list[grading.RecordFact]:
    return [
        grading.RecordFact(
            id=r.id,
            item_code=r.item,
            points=r.points,
            occurred_on=r.occurred_on or start,
            act_ref=r.act,
            status=r.status,
            responsible=r.responsible,
            serious=r.serious,
            penalised=r.penalised,
            enters_blacklist=r.enters_blacklist,
        )
        for r in case.records
    ]


def _action_text(action: dict[str, Any]) -> str:
    parts = []
    if "from" in action or "to" in action:
        parts.append(f"{action.get('from') or '－'}→{action.get('to') or '－'}")
    if action.get("rule"):
        parts.append(action["rule"])
    if action.get("controlled"):
        parts.append("布控")
    return f"{action['kind']}（{'，'.join(parts)}）" if parts else str(action["kind"])


def _evaluate(params: RuleSetParams, case: RuleCase) -> dict[str, Any]:
    if case.period_end is not None:
        start, end = grading.period_bounds(params, case.period_end)
    else:
        start, end = grading.period_containing(params, DEFAULT_PERIOD_DAY)
    summary = grading.count_points(_facts(case, start), start, end)
    actual: dict[str, Any] = {
        "period": [start.isoformat(), end.isoformat()],
        "points": summary.total,
        "serious_points": grading.serious_list_points(params, summary),
        "records": {o.record.id: o.reason for o in summary.outcomes},
    }
    if case.kind == "periodic":
        decision = grading.periodic_grade(
            params,
            points=summary.total,
            previous_grade=case.previous_grade,
            is_new=case.new_enterprise,
            had_business=case.had_business,
            serious_listed=case.serious_listed,
        )
        actual.update(grade=decision.grade, rule=decision.rule, detail=decision.detail)
        return actual
    actions = grading.dynamic_actions(
        params,
        current_grade=case.current_grade,
        summary=summary,
        controlled=case.controlled,
        serious_listed=case.serious_listed,
        downgraded_this_period=case.downgraded_this_period,
    )
    grade, controlled = case.current_grade, case.controlled
    for action in actions:
        grade = action.to_grade
        controlled = controlled or action.controlled
    actual.update(
        actions=[
            {"kind": a.kind, "rule": a.rule, "from": a.from_grade, "to": a.to_grade, "controlled": a.controlled}
            for a in actions
        ],
        grade=grade,
        controlled=controlled,
        detail="；".join(a.detail for a in actions),
    )
    return actual


_LABELS = {"grade": "等级", "rule": "规则", "points": "计分", "serious_points": "严重失信计分", "controlled": "布控"}


def _mismatches(case: RuleCase, actual: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for key, label in _LABELS.items():
        if key in case.expect and case.expect[key] != actual[key]:
            problems.append(f"{label}期望 {case.expect[key]}，实际 {actual[key]}")
    if "actions" in case.expect:
        wanted, got = case.expect["actions"], actual["actions"]
        matches = len(wanted) == len(got) and all(
            all(g[k] == v for k, v in w.items()) for w, g in zip(wanted, got, strict=False)
        )
        if not matches:
            problems.append(
                f"动作期望 [{'，'.join(map(_action_text, wanted)) or '无'}]，"
                f"实际 [{'，'.join(map(_action_text, got)) or '无'}]"
            )
    for record in case.records:
        got_reason = actual["records"][record.id]
        if record.expect is not None and record.expect != got_reason:
            problems.append(
                f"记录{record.id}（第{record.line}行）期望 {record.expect}（{grading.REASON_LABELS[record.expect]}），"
                f"实际 {got_reason}（{grading.REASON_LABELS[got_reason]}）"
            )
    if problems and actual.get("detail"):
        problems.append(f"判定依据：{actual['detail']}")
    return problems


def run_cases(params: RuleSetParams, cases_yaml: str) -> list[CaseOutcome]:
    """Run every case of the file under `params`, in file order. Raises `CaseFormatError` for a malformed file."""
    outcomes: list[CaseOutcome] = []
    for case in parse_cases(cases_yaml):
        expected = dict(case.expect)
        record_expect = {r.id: r.expect for r in case.records if r.expect is not None}
        if record_expect:
            expected["records"] = record_expect
        try:
            actual = _evaluate(params, case)
        except ValueError as exc:  # e.g. InvalidPeriodEnd: the case's period does not exist under these params
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            outcomes.append(
                CaseOutcome(
                    case.name,
                    False,
                    expected,
                    {},
                    f"用例“{case.name}”（第{case.line}行）无法运行：{message}",
                    case.line,
                )
            )
            continue
        problems = _mismatches(case, actual)
        message = f"用例“{case.name}”（第{case.line}行）未通过：" + "；".join(problems) if problems else ""
        outcomes.append(CaseOutcome(case.name, not problems, expected, actual, message, case.line))
    return outcomes
