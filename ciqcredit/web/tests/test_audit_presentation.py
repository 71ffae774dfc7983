"""Audit rows read in Chinese: action labels and field changes (no database needed)."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

from ciqcredit.audit.models import AuditEntry
from ciqcredit.web.audit.presentation import (
    FIELD_LABELS,
    action_label,
    entry_changes,
    field_label,
    is_chinese,
    system_job_label,
    target_type_label,
    value_label,
)

ROOT = Path(__file__).resolve().parents[2]


def _sources() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("enterprises.enterprise.created", "企业新建"),
        ("organizations.organization.updated", "机构修改"),
        ("enterprises.import.completed", "企业信息导入完成"),
        # Written through catalogue.editing.DraftRows (f"{action}.created"), so the scan below does not see them.
        ("catalogue.checklist_item.created", "督查检查项目新建"),
        ("catalogue.checklist_item.moved", "督查检查项目调整顺序"),
        ("catalogue.joint_measure.deleted", "联合奖惩措施删除"),
        ("some.thing.unheard_of", "some.thing.unheard_of"),
        ("short.code", "short.code"),
    ],
)
def test_action_labels(code, label):
    assert action_label(code) == label


def test_changes_use_field_names_and_value_labels():
    entry = AuditEntry(
        target_type="enterprises.enterprise",
        old={"status": "active", "types": ["importer"]},
        new={"status": "cancelled", "types": ["importer", "vessel"], "unknown_key": None},
    )
    assert entry_changes(entry) == [
        {"field": "status", "label": "状态", "old": "正常", "new": "注销"},
        {"field": "types", "label": "企业类型", "old": "进口企业", "new": "进口企业、国际航行船舶"},
        {"field": "unknown_key", "label": "unknown_key", "old": "", "new": "—"},
    ]


def test_every_action_the_platform_writes_reads_in_chinese():
    """Scans the source for literal action codes: a new one without a label shows up here, not on a page."""
    codes = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 40  # the scan itself works
    unlabelled = sorted(code for code in codes if re.search(r"[a-z]", action_label(code)))
    assert unlabelled == []


def _audit_dicts() -> list[ast.Dict]:
    """The dict literals written as audit old/new values, directly or returned by a snapshot function."""
    sources = _sources()
    functions = {f.name: f for _, tree in sources for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
    found = []
    for _, tree in sources:
        # Dicts assigned to a name in this module (`scope = {...}` then `new={**scope, ...}`).
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            for keyword in call.keywords:
                if keyword.arg not in ("old", "new"):
                    continue
                nodes = [keyword.value]
                for sub in ast.walk(keyword.value):
                    if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in functions:
                        nodes += [r.value for r in ast.walk(functions[sub.func.id]) if isinstance(r, ast.Return)]
                    if isinstance(sub, ast.Name):
                        nodes += assigned.get(sub.id, [])
                found += [d for node in nodes if node is not None for d in ast.walk(node) if isinstance(d, ast.Dict)]
    return found


def test_every_field_the_platform_audits_has_a_chinese_name():
    keys = {k.value for d in _audit_dicts() for k in d.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    assert {"grade", "controlled", "cause", "effective_from", "month", "confirmed_by"} <= keys
    unnamed = sorted(key for key in keys if not is_chinese(field_label("", key)))
    assert unnamed == []


def test_every_literal_slug_the_platform_audits_reads_in_chinese():
    """String constants stored as audit values (a status, a cause, a kind) show as their Chinese label."""
    slugs = {
        (k.value, v.value)
        for d in _audit_dicts()
        for k, v in zip(d.keys, d.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(v, ast.Constant) and isinstance(v.value, str)
        if re.fullmatch(r"[a-z][a-z_.]*", v.value)
    }
    assert not [(key, slug) for key, slug in slugs if not is_chinese(value_label(key, slug))]


def test_every_model_choice_and_object_type_reads_in_chinese():
    for model in apps.get_models():
        if not model.__module__.startswith("ciqcredit."):
            continue
        assert is_chinese(target_type_label(model._meta.label_lower)), model
        for field in model._meta.concrete_fields:
            for value, label in getattr(field, "flatchoices", None) or ():
                assert is_chinese(str(label)) or value == str(label), (model, field.name, value, label)


def test_every_system_job_has_a_chinese_name():
    jobs = set()
    for path, _ in _sources():
        jobs |= set(re.findall(r'Actor(?:\(system=|\.job\()"([^"]+)"\)', path.read_text(encoding="utf-8")))
    assert {"setup", "demo", "evaluate"} <= jobs
    assert sorted(job for job in jobs if not is_chinese(system_job_label(job))) == []


def test_grade_change_reads_in_chinese():
    entry = AuditEntry(
        action="rating.grade.changed",
        target_type="enterprises.enterprise",
        old={"grade": None, "controlled": False},
        new={
            "grade": "B",
            "controlled": False,
            "cause": "adjustment",
            "effective_from": "2017-10-16",
            "status": "confirmed",
        },
    )
    assert [(c["label"], c["old"], c["new"]) for c in entry_changes(entry)] == [
        ("信用等级", "—", "B"),
        ("布控", "否", "否"),
        ("变更原因", "", "评定结果调整"),
        ("生效日期", "", "2017-10-16"),
        ("状态", "", "已确认"),
    ]
    assert FIELD_LABELS["month"] == "月份"


def test_a_long_list_shows_its_first_items_and_its_length():
    entry = AuditEntry(target_type="rating.evaluationrun", new={"credit_codes": [f"C{n}" for n in range(25)]})
    [line] = entry_changes(entry)
    assert line["label"] == "企业（统一社会信用代码）" and line["new"].endswith("C9 等共 25 项")


def test_a_checked_condition_reads_as_its_wording_and_whether_it_held():
    entry = AuditEntry(
        target_type="rating.aarequest",
        new={
            "conditions": [
                {"code": "current_grade_a", "label": "当前为A级", "holds": True, "detail": "当前等级：A级"},
                {"code": "clean_years", "label": "近3年未发生质量安全事故", "holds": False, "detail": ""},
            ]
        },
    )
    [line] = entry_changes(entry)
    assert line["new"] == "当前为A级：符合（当前等级：A级）、近3年未发生质量安全事故：不符合"


@pytest.mark.parametrize(
    ("kind", "label"), [("oversight.rectification", "整改期限"), ("collection.objection", "异议复核期限")]
)
def test_every_deadline_kind_reads_in_chinese(kind, label):
    entry = AuditEntry(action="workdays.deadline.opened", target_type="workdays.deadline", new={"kind": kind})
    assert entry_changes(entry)[0]["new"] == label


def test_a_deadline_is_named_by_its_target_not_by_codes():
    import datetime as dt

    from ciqcredit.workdays.models import Deadline

    deadline = Deadline(
        kind="oversight.rectification",
        target_type="oversight.rectificationtask",
        target_id="1",
        target_label="整改 #1 C01 检查项目",
        due_on=dt.date(2026, 12, 31),
    )
    assert str(deadline) == "整改 #1 C01 检查项目 截止 2026-12-31"


@pytest.mark.django_db
def test_inspectors_read_as_people_not_usernames(cast):
    entry = AuditEntry(target_type="oversight.inspectionplan", new={"inspectors": ["a_credit", "a_branch"]})
    [line] = entry_changes(entry)
    assert "张信用" in line["new"] and "李采集" in line["new"]
    assert "a_credit" not in line["new"] and "a_branch" not in line["new"]


@pytest.mark.django_db
def test_a_sharing_agreement_reads_its_lists_fields_and_partner_by_name(cast):
    from ciqcredit.organizations.models import Organization

    partner = Organization.objects.get(code="110000")  # any organization: the key holds its code
    entry = AuditEntry(
        action="sharing.agreement.requested",
        target_type="sharing.sharingagreement",
        new={"partner": partner.code, "lists": ["aa", "grades"], "fields": ["grade", "name", "previous_grade"]},
    )
    lines = {line["field"]: line["new"] for line in entry_changes(entry)}
    assert lines["partner"] == f"{partner.name}（{partner.code}）"
    assert lines["lists"] == "AA级企业名单、信用等级（含布控）"
    assert "name" not in lines["fields"] and "企业名称" in lines["fields"] and "previous_grade" not in lines["fields"]


def test_an_uploaded_file_reads_as_its_name_not_its_storage_path():
    entry = AuditEntry(
        target_type="dynamic.notice",
        new={"proof_file": "dynamic/notices/2026/312200-XG-2025-0003-送达回证_a6f9cd94.pdf"},
    )
    [line] = entry_changes(entry)
    assert line["label"] == "送达回证" and line["new"] == "312200-XG-2025-0003-送达回证_a6f9cd94.pdf"


def test_a_deadline_s_label_stored_with_codes_reads_in_chinese():
    """Audit rows are never rewritten: rows written before the deadline was named by its target keep the label
    `kind type:id 截止 date`, which the page reads in Chinese."""
    from ciqcredit.web.audit.presentation import target_label

    entry = AuditEntry(
        target_type="workdays.deadline",
        target_id="3692",
        target_label="oversight.rectification oversight.rectificationtask:1 截止 2026-12-31",
    )
    shown = target_label(entry)
    assert shown.startswith("整改期限") and shown.endswith("截止 2026-12-31") and "oversight" not in shown
    named = AuditEntry(target_type="enterprises.enterprise", target_id="7", target_label="某公司")
    assert target_label(named) == "某公司"
    assert target_label(AuditEntry(target_type="enterprises.enterprise", target_id="7", target_label="")) == "7"
