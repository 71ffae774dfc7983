"""Editing a checklist draft on pages (督查检查项目), like a joint-measure draft's: add, edit, move and remove an
item on the version's own page, errors in Chinese on the form, each change audited, only for HQ rule maintainers,
never on a published version."""

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.editing import (
    CHECKLIST_ITEMS,
    draft_row_create,
    draft_row_delete,
    draft_row_move,
    draft_row_update,
)
from ciqcredit.catalogue.models import ChecklistItem, ChecklistVersion
from ciqcredit.catalogue.reference import reference_checklist_load
from ciqcredit.catalogue.services import version_submit
from ciqcredit.catalogue.tests.conftest import SYSTEM
from ciqcredit.errors import DomainError

NEW = {
    "code": "6.3.1",
    "question": "q_other",
    "title": "信用档案按年整理归档",
    "standard": "档案齐全为符合",
}
REFERENCE_CODES = ["6.1.1", "6.1.2", "6.2.1", "6.2.2", "6.2.3", "6.2.4", "6.2.5"]


def _codes(version: ChecklistVersion) -> list[str]:
    return list(version.checklist_items.order_by("position", "code").values_list("code", flat=True))


@pytest.fixture
def draft(cast, today) -> ChecklistVersion:
    reference_checklist_load(actor=SYSTEM)
    response = cast.client_for(cast.hq_rules).post("/rules/checklist/new/")
    assert response.status_code == 302
    version = ChecklistVersion.objects.get(number=2)
    assert _codes(version) == REFERENCE_CODES
    return version


def test_an_hq_rule_maintainer_adds_edits_moves_and_removes_an_item(cast, draft):
    editor = cast.client_for(cast.hq_rules)
    page = editor.get("/rules/checklist/2/").content.decode()
    assert "/rules/checklist/2/items/new/" in page and "/rules/checklist/2/items/6.2.1/" in page
    assert "/rules/checklist/2/items/6.2.1/up/" in page and "/rules/checklist/2/items/6.2.1/delete/" in page

    form = editor.get("/rules/checklist/2/items/new/").content.decode()
    assert "项目编号" in form and "督查事项" in form and "本单位增加的检查项目" in form
    added = editor.post("/rules/checklist/2/items/new/", NEW)
    assert added.status_code == 302, added.content.decode()[:2000]
    assert _codes(draft) == [*REFERENCE_CODES, "6.3.1"]
    created = AuditEntry.objects.get(action="catalogue.checklist_item.created")
    assert created.actor_id == cast.hq_rules.pk and created.new["title"] == "信用档案按年整理归档"

    form = editor.get("/rules/checklist/2/items/6.3.1/").content.decode()
    assert "信用档案按年整理归档" in form
    edited = editor.post("/rules/checklist/2/items/6.3.1/", {**NEW, "question": "q_staffing"})
    assert edited.status_code == 302
    assert draft.checklist_items.get(code="6.3.1").question == "q_staffing"
    updated = AuditEntry.objects.get(action="catalogue.checklist_item.updated")
    assert (updated.old, updated.new) == ({"question": "q_other"}, {"question": "q_staffing"})

    # Up twice: the new item ends up third from the end; a sheet lists items in this order.
    assert editor.post("/rules/checklist/2/items/6.3.1/up/").status_code == 302
    assert editor.post("/rules/checklist/2/items/6.3.1/up/").status_code == 302
    assert _codes(draft) == ["6.1.1", "6.1.2", "6.2.1", "6.2.2", "6.2.3", "6.3.1", "6.2.4", "6.2.5"]
    positions = list(draft.checklist_items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 9))
    moves = AuditEntry.objects.filter(action="catalogue.checklist_item.moved").order_by("id")
    assert [(m.old["place"], m.new["place"]) for m in moves] == [(8, 7), (7, 6)]
    # The first item does not move up: a message in Chinese, nothing changes, nothing audited.
    refused = editor.post("/rules/checklist/2/items/6.1.1/up/", follow=True).content.decode()
    assert "检查项目“6.1.1”已是第一项" in refused
    assert editor.post("/rules/checklist/2/items/6.2.5/down/").status_code == 302
    assert _codes(draft)[0] == "6.1.1" and moves.count() == 2
    assert editor.post("/rules/checklist/2/items/6.1.1/down/").status_code == 302
    assert _codes(draft)[:2] == ["6.1.2", "6.1.1"]

    removed = editor.post("/rules/checklist/2/items/6.2.2/delete/")
    assert removed.status_code == 302
    assert "6.2.2" not in _codes(draft)
    deleted = AuditEntry.objects.get(action="catalogue.checklist_item.deleted")
    assert deleted.old["code"] == "6.2.2" and deleted.actor_id == cast.hq_rules.pk
    # The published version keeps its items in their order.
    assert _codes(ChecklistVersion.objects.get(number=1)) == REFERENCE_CODES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "6.1.1"}, "编号“6.1.1”在本版本中已存在"),
        ({"code": "6 3 1"}, "项目编号“6 3 1”只能由字母、数字、点、横线和下划线组成"),
        ({"title": ""}, "这个字段是必填项"),
        ({"question": "q_unknown"}, "选择一个有效的选项"),
    ],
)
def test_errors_are_shown_in_chinese_and_nothing_changes(cast, draft, change, message):
    response = cast.client_for(cast.hq_rules).post("/rules/checklist/2/items/new/", {**NEW, **change})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'value="信用档案按年整理归档"' in text or change.get("title") == ""  # what was typed is kept
    assert _codes(draft) == REFERENCE_CODES
    assert not AuditEntry.objects.filter(action__startswith="catalogue.checklist_item.").exists()


@pytest.mark.parametrize("who", ["bureau_a_user", "branch_a_user", "bureau_b_user", "enterprise_user"])
def test_only_hq_rule_maintainers_edit(cast, draft, who):
    assert cast.client_for(cast.hq_rules).get("/rules/checklist/2/items/6.2.1/").status_code == 200
    client = cast.client_for(getattr(cast, who))
    assert client.get("/rules/checklist/2/items/new/").status_code in (403, 404)
    assert client.post("/rules/checklist/2/items/new/", NEW).status_code in (403, 404)
    assert client.post("/rules/checklist/2/items/6.2.1/", {**NEW, "code": "6.2.1"}).status_code in (403, 404)
    assert client.post("/rules/checklist/2/items/6.2.1/up/").status_code in (403, 404)
    assert client.post("/rules/checklist/2/items/6.2.1/delete/").status_code in (403, 404)
    assert _codes(draft) == REFERENCE_CODES
    assert draft.checklist_items.get(code="6.2.1").title == "发现并查实企业失信行为后5个工作日内采集信用信息"
    assert not AuditEntry.objects.filter(action__startswith="catalogue.checklist_item.").exists()


def test_anonymous_visitors_are_sent_to_log_in(cast, draft):
    response = cast.client_for(None).post("/rules/checklist/2/items/new/", NEW)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not draft.checklist_items.filter(code=NEW["code"]).exists()


def test_a_published_version_is_not_edited_on_pages(cast, draft):
    editor = cast.client_for(cast.hq_rules)
    page = editor.get("/rules/checklist/1/").content.decode()
    assert "/rules/checklist/1/items/new/" not in page and "/rules/checklist/1/items/6.2.1/up/" not in page
    response = editor.post("/rules/checklist/1/items/new/", NEW, follow=True)
    assert "已发布" in response.content.decode()
    editor.post("/rules/checklist/1/items/6.2.1/", {**NEW, "code": "6.2.1"})
    moved = editor.post("/rules/checklist/1/items/6.2.1/up/", follow=True).content.decode()
    assert "已发布" in moved
    editor.post("/rules/checklist/1/items/6.2.1/delete/")
    published = ChecklistVersion.objects.get(number=1)
    assert _codes(published) == REFERENCE_CODES
    assert published.checklist_items.get(code="6.2.1").question == "q_collection"
    assert not ChecklistItem.objects.filter(code=NEW["code"]).exists()
    assert not AuditEntry.objects.filter(action__startswith="catalogue.checklist_item.").exists()


def test_the_published_version_lists_its_items_in_chinese(cast, draft):
    page = cast.client_for(cast.bureau_a_user).get("/rules/checklist/1/").content.decode()
    table = page.split('id="checklist-items"', 1)[1].split("</table>", 1)[0]
    assert "人员配置与业务培训" in table and "跟踪落实差异化检验检疫措施" in table and "评判标准" in table
    assert "发现并查实企业失信行为后5个工作日内采集信用信息" in table
    for key in ("q_staffing", "q_collection", "q_measures", "q_other", "question", "standard"):
        assert key not in table
    assert "编辑" not in table and "上移" not in table


@pytest.mark.parametrize(("number", "code"), [(1, "version_published"), (2, "version_not_draft")])
def test_every_step_refuses_a_version_that_is_not_a_draft(cast, draft, number, code):
    """The services refuse what the pages hide: the published version, and the draft once it is in review."""
    version_submit(version=draft, actor=SYSTEM)
    version = ChecklistVersion.objects.get(number=number)
    item = version.checklist_items.get(code="6.2.1")
    steps = {
        "create": lambda: draft_row_create(CHECKLIST_ITEMS, version=version, fields=NEW, actor=SYSTEM),
        "update": lambda: draft_row_update(CHECKLIST_ITEMS, row=item, fields={"title": "改"}, actor=SYSTEM),
        "move": lambda: draft_row_move(CHECKLIST_ITEMS, row=item, offset=-1, actor=SYSTEM),
        "delete": lambda: draft_row_delete(CHECKLIST_ITEMS, row=item, actor=SYSTEM),
    }
    for name, step in steps.items():
        with pytest.raises(DomainError) as exc:
            step()
        assert exc.value.code == code, name
    assert _codes(version) == REFERENCE_CODES and version.checklist_items.get(code="6.2.1").title == item.title
