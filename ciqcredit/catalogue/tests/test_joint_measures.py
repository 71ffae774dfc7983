"""Joint measures (联合奖惩) as published rules: the reference version from setup, content checks, the lifecycle
(a new draft copies the published rows; a published version is immutable) and the version pages."""

import datetime as dt

import pytest

from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.joint import joint_measures_replace
from ciqcredit.catalogue.models import JointMeasureVersion
from ciqcredit.catalogue.reference import reference_joint_measures_load
from ciqcredit.catalogue.selectors import joint_measures_on
from ciqcredit.catalogue.services import version_draft_create
from ciqcredit.catalogue.tests.conftest import SYSTEM
from ciqcredit.errors import DomainError

ROW = {
    "code": "JM-X-01",
    "list_code": "customs_advanced",
    "list_title": "海关高级认证企业名单",
    "list_kind": "reward",
    "area": "declaration_release",
    "title": "优先办理",
    "for_classes": ["AA", "A"],
    "priority": True,
}


def test_setup_publishes_the_reference_joint_measures_once(db):
    assert "已发布" in reference_joint_measures_load(actor=SYSTEM)
    assert "未改动" in reference_joint_measures_load(actor=SYSTEM)
    version = joint_measures_on(dt.date(2026, 1, 1))
    assert isinstance(version, JointMeasureVersion) and version.is_reference
    rows = {m.code: m for m in version.joint_measures.all()}
    court = rows["JM-FY-DR-01"]
    assert (court.list_code, str(court.sampling_ratio), court.paperless, court.document_review) == (
        "court_dishonest_debtors",
        "1.0000",
        False,
        "full",
    )
    assert rows["JM-SW-DR-01"].for_classes == ["AA", "A", "B"] and rows["JM-SW-DR-01"].priority is True


def test_bad_rows_are_named_and_nothing_changes(cast):
    reference_joint_measures_load(actor=SYSTEM)
    draft = version_draft_create(kind=Kind.JOINT, actor=SYSTEM)
    assert draft.joint_measures.count() == 5  # copied from the published version
    bad = [
        {**ROW, "list_code": "Bad Code"},
        {**ROW, "code": "JM-X-02", "area": "nowhere", "sampling_ratio": "1.5", "for_classes": ["Z"]},
        {**ROW},
    ]
    with pytest.raises(DomainError) as refused:
        joint_measures_replace(version=draft, measures=bad, actor=SYSTEM)
    problems = refused.value.details["problems"]
    assert any(p.startswith("第1项：名单代码应为") for p in problems)
    assert any(p.startswith("第2项：未知的措施领域") for p in problems)
    assert any(p.startswith("第2项：抽批比例须在0到1") for p in problems)
    assert any(p.startswith("第2项：未知的适用等级“Z”") for p in problems) and "措施编号重复" in problems
    errors = {(e["row"], e["field"], e["code"]) for e in refused.value.details["errors"]}
    assert {
        (1, "list_code", "bad_list_code"),
        (2, "area", "unknown_area"),
        (2, "for_classes", "unknown_class"),
    } <= errors
    assert draft.joint_measures.count() == 5
    assert joint_measures_replace(version=draft, measures=[ROW], actor=SYSTEM) == 1


def test_a_published_version_is_immutable(db):
    reference_joint_measures_load(actor=SYSTEM)
    published = JointMeasureVersion.objects.get()
    with pytest.raises(DomainError) as refused:
        joint_measures_replace(version=published, measures=[ROW], actor=SYSTEM)
    assert refused.value.code == "version_published"


def test_the_version_pages_show_the_joint_kind(cast):
    reference_joint_measures_load(actor=SYSTEM)
    client = cast.client_for(cast.bureau_a_user)
    assert "联合奖惩措施" in client.get("/rules/joint/").content.decode()
    assert client.get("/rules/joint/1/").status_code == 200


def test_a_joint_version_page_lists_its_measures_and_offers_no_file_exchange(cast):
    """The joint measures are revised by YAML on their own page; the generic exchange carries no rows of them, so
    the version page offers no export or import (the XLSX export answered 500) and shows its measures, not the
    rule set's empty tables."""
    reference_joint_measures_load(actor=SYSTEM)
    admin = cast.client_for(cast.hq_admin)
    page = admin.get("/rules/joint/1/").content.decode()
    assert "JM-FY-DR-01" in page and "失信被执行人" in page
    assert "计分区间" not in page and "尚无用例" not in page and "导出 XLSX" not in page
    for fmt in ("xlsx", "yaml"):
        assert admin.get(f"/rules/joint/1/export.{fmt}").status_code == 404
    draft = version_draft_create(kind=Kind.JOINT, actor=SYSTEM)
    assert "导入 XLSX" not in admin.get(f"/rules/joint/{draft.number}/").content.decode()
    assert admin.get(f"/rules/joint/{draft.number}/import/").status_code == 404
    from ciqcredit.catalogue.exchange import version_import

    with pytest.raises(DomainError):
        version_import(version=draft, content=b"kind: joint\n", fmt="yaml", actor=SYSTEM)
    assert draft.joint_measures.count() == 5
