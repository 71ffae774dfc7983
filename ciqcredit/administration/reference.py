"""What `ciqcredit setup` loads, in order. Each step is idempotent and returns a short summary line."""

from collections.abc import Callable
from importlib import import_module

from ciqcredit.actors import Actor

# "module:function"; each takes actor= and returns something printable.
REFERENCE_STEPS: list[tuple[str, str]] = [
    ("机构（总局及35个直属局）", "ciqcredit.organizations.services:reference_organizations_load"),
    ("工作日历（chinese-calendar 2004–2026）", "ciqcredit.workdays.services:calendar_seed"),
    ("参考信用规则（采集条目、评定规则、差异化措施 第1版）", "ciqcredit.catalogue.reference:reference_rules_load"),
    ("参考督查检查表（第1版）", "ciqcredit.catalogue.reference:reference_checklist_load"),
    ("参考联合奖惩措施（第1版）", "ciqcredit.catalogue.reference:reference_joint_measures_load"),
]


def resolve(target: str) -> Callable:
    module_name, func_name = target.split(":")
    return getattr(import_module(module_name), func_name)


def load_reference_data(*, actor: Actor, report: Callable[[str], None] = lambda line: None) -> None:
    for label, target in REFERENCE_STEPS:
        result = resolve(target)(actor=actor)
        report(f"{label}：{result}")
