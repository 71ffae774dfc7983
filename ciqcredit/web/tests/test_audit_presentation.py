"""Audit rows read in Chinese: action labels and field changes (no database needed)."""

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.web.audit.presentation import action_label, entry_changes


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("enterprises.enterprise.created", "企业新建"),
        ("organizations.organization.updated", "机构修改"),
        ("enterprises.import.completed", "企业信息导入完成"),
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
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    codes = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 40  # the scan itself works
    unlabelled = sorted(code for code in codes if re.search(r"[a-z]", action_label(code)))
    assert unlabelled == []
