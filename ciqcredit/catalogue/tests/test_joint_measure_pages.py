"""Editing a joint-measure draft on pages (联合奖惩措施), like a measure list's draft: add, edit and remove a
measure on the version's own page, errors in Chinese on the form, each change audited, only for HQ rule
maintainers, never on a published version."""

from decimal import Decimal

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import JointMeasure, JointMeasureVersion
from ciqcredit.catalogue.reference import reference_joint_measures_load
from ciqcredit.catalogue.tests.conftest import SYSTEM

NEW = {
    "code": "JM-HG-DR-01",
    "list_code": "customs_advanced",
    "list_title": "海关高级认证企业名单",
    "list_kind": "reward",
    "area": "declaration_release",
    "title": "高级认证企业优先办理",
    "description": "报检、放行优先办理。",
    "for_classes": ["AA", "A"],
    "sampling_ratio": "5%",
    "document_review": "",
    "priority": "true",
    "green_channel": "unknown",
    "paperless": "unknown",
}


@pytest.fixture
def draft(cast, today) -> JointMeasureVersion:
    reference_joint_measures_load(actor=SYSTEM)
    response = cast.client_for(cast.hq_rules).post("/rules/joint/new/")
    assert response.status_code == 302
    return JointMeasureVersion.objects.get(number=2)


def test_an_hq_rule_maintainer_adds_edits_and_removes_a_joint_measure(cast, draft):
    editor = cast.client_for(cast.hq_rules)
    page = editor.get("/rules/joint/2/").content.decode()
    assert "JM-FY-DR-01" in page and "/rules/joint/2/measures/new/" in page
    assert "/rules/joint/2/measures/JM-FY-DR-01/" in page

    assert editor.get("/rules/joint/2/measures/new/").status_code == 200
    added = editor.post("/rules/joint/2/measures/new/", NEW)
    assert added.status_code == 302, added.content.decode()[:2000]
    row = draft.joint_measures.get(code="JM-HG-DR-01")
    assert (row.for_classes, row.sampling_ratio, row.priority, row.green_channel) == (
        ["AA", "A"],
        Decimal("0.05"),
        True,
        None,
    )
    assert list(draft.joint_measures.order_by("position").values_list("code", flat=True))[-1] == "JM-HG-DR-01"
    created = AuditEntry.objects.get(action="catalogue.joint_measure.created")
    assert created.actor_id == cast.hq_rules.pk and created.new["list_code"] == "customs_advanced"

    form = editor.get("/rules/joint/2/measures/JM-HG-DR-01/").content.decode()
    assert "高级认证企业优先办理" in form
    edited = editor.post("/rules/joint/2/measures/JM-HG-DR-01/", {**NEW, "title": "高级认证企业优先查验放行"})
    assert edited.status_code == 302
    row.refresh_from_db()
    assert row.title == "高级认证企业优先查验放行"
    updated = AuditEntry.objects.get(action="catalogue.joint_measure.updated")
    assert (updated.old, updated.new) == ({"title": "高级认证企业优先办理"}, {"title": "高级认证企业优先查验放行"})

    removed = editor.post("/rules/joint/2/measures/JM-FY-AP-01/delete/")
    assert removed.status_code == 302
    assert not draft.joint_measures.filter(code="JM-FY-AP-01").exists()
    deleted = AuditEntry.objects.get(action="catalogue.joint_measure.deleted")
    assert deleted.old["code"] == "JM-FY-AP-01"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"list_code": "Bad Code"}, "名单代码应为以字母开头的小写字母"),
        ({"title": ""}, "必填"),
        ({"sampling_ratio": "150%"}, "抽批比例须在0到1"),
        ({"area": "approval", "sampling_ratio": "10%"}, "抽批比例只适用于“申报放行”和“检验检疫”领域"),
        ({"code": "JM-FY-DR-01"}, "编号“JM-FY-DR-01”在本版本中已存在"),
        ({"list_title": ""}, "必填"),
        ({"for_classes": ["AA", "nobody"]}, "nobody"),
    ],
)
def test_errors_are_shown_in_chinese_and_nothing_changes(cast, draft, change, message):
    before = draft.joint_measures.count()
    response = cast.client_for(cast.hq_rules).post("/rules/joint/2/measures/new/", {**NEW, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert draft.joint_measures.count() == before
    assert not AuditEntry.objects.filter(action__startswith="catalogue.joint_measure.").exists()


@pytest.mark.parametrize("who", ["bureau_a_user", "branch_a_user", "enterprise_user"])
def test_only_hq_rule_maintainers_edit(cast, draft, who):
    client = cast.client_for(getattr(cast, who))
    assert client.get("/rules/joint/2/measures/new/").status_code in (403, 404)
    assert client.post("/rules/joint/2/measures/new/", NEW).status_code in (403, 404)
    assert client.post("/rules/joint/2/measures/JM-FY-DR-01/", {**NEW, "code": "JM-FY-DR-01"}).status_code in (403, 404)
    assert client.post("/rules/joint/2/measures/JM-FY-DR-01/delete/").status_code in (403, 404)
    assert draft.joint_measures.count() == 5 and not draft.joint_measures.filter(code=NEW["code"]).exists()
    assert draft.joint_measures.get(code="JM-FY-DR-01").title == "失信被执行人全部查验、不适用无纸化"
    assert (
        "/rules/joint/2/measures/new/"
        not in cast.client_for(cast.bureau_a_user).get("/rules/joint/2/").content.decode()
    )


def test_a_published_version_is_not_edited_on_pages(cast, draft):
    editor = cast.client_for(cast.hq_rules)
    page = editor.get("/rules/joint/1/").content.decode()
    assert "/rules/joint/1/measures/new/" not in page and "JM-FY-DR-01" in page
    response = editor.post("/rules/joint/1/measures/new/", NEW, follow=True)
    assert "已发布" in response.content.decode()
    assert not JointMeasure.objects.filter(code=NEW["code"]).exists()
    editor.post("/rules/joint/1/measures/JM-FY-DR-01/delete/")
    assert JointMeasureVersion.objects.get(number=1).joint_measures.count() == 5


def test_the_joint_page_links_the_draft_s_editor(cast, draft):
    page = cast.client_for(cast.hq_rules).get("/sharing/joint/").content.decode()
    assert "/rules/joint/2/" in page
