"""The supervision checklist has pages like the other kinds: its version shows items and schedule in Chinese,
and a draft is edited through a form (items and schedule as rows)."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import ChecklistVersion
from ciqcredit.catalogue.reference import reference_checklist_load


@pytest.fixture
def checklist(reference):
    reference_checklist_load(actor=Actor.job("test"))


def _post(version: ChecklistVersion, **changes) -> dict:
    items = list(version.checklist_items.all())
    data = {
        "rectification_days": str(version.rectification_days),
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "schedule-TOTAL_FORMS": str(len(version.schedule) + 1),
        "schedule-INITIAL_FORMS": str(len(version.schedule)),
    }
    for i, item in enumerate(items):
        data |= {
            f"items-{i}-code": item.code,
            f"items-{i}-question": item.question,
            f"items-{i}-title": item.title,
            f"items-{i}-standard": item.standard,
        }
    for i, entry in enumerate(version.schedule):
        data |= {f"schedule-{i}-{key}": str(value) for key, value in entry.items()}
    return data | changes


def test_the_checklist_version_reads_in_chinese(checklist, cast, today):
    page = cast.client_for(cast.hq_admin).get("/rules/checklist/1/").content.decode().split("<main", 1)[1]
    assert "检查项目" in page and "督查计划安排" in page and "整改期限：30 个自然日" in page
    assert "人员配置与业务培训" in page and "季度" in page and "直属局" in page
    assert "计分区间" not in page  # not a rule set's tables
    assert "导出 YAML" not in page  # the checklist is not exchanged as files


def test_a_checklist_draft_is_edited_through_its_form(checklist, cast, today):
    admin = cast.client_for(cast.hq_admin)
    assert admin.post("/rules/checklist/new/").status_code == 302
    draft = ChecklistVersion.objects.get(number=2)
    count = draft.checklist_items.count()
    page = admin.get("/rules/checklist/2/").content.decode()
    assert "/rules/checklist/2/content/" in page
    form = admin.get("/rules/checklist/2/content/").content.decode()
    assert "项目编号" in form and "期末后开启天数" in form

    # A new item in the empty row repeating an existing code: refused in Chinese, what was typed kept.
    new = count
    first = draft.checklist_items.first()
    bad = _post(
        draft,
        **{f"items-{new}-code": first.code, f"items-{new}-question": "q_other", f"items-{new}-title": "档案管理"},
    )
    text = admin.post("/rules/checklist/2/content/", bad).content.decode()
    assert "项目编号重复" in text and 'value="档案管理"' in text
    # With a code of its own, and the first item removed, the schedule's first entry opened after 7 days.
    good = _post(
        draft,
        rectification_days="20",
        **{
            f"items-{new}-code": "ZZ-01",
            f"items-{new}-question": "q_other",
            f"items-{new}-title": "档案管理",
            "items-0-DELETE": "on",
            "schedule-0-open_after_days": "7",
        },
    )
    assert admin.post("/rules/checklist/2/content/", good).status_code == 302
    draft.refresh_from_db()
    codes = list(draft.checklist_items.values_list("code", flat=True))
    assert "ZZ-01" in codes and first.code not in codes and len(codes) == count
    assert draft.rectification_days == 20 and draft.schedule[0]["open_after_days"] == 7
    assert AuditEntry.objects.filter(action="catalogue.checklist.content_replaced").exists()
    # A published checklist is not edited.
    response = admin.post("/rules/checklist/1/content/", _post(ChecklistVersion.objects.get(number=1)))
    assert response.status_code == 200 and ChecklistVersion.objects.get(number=1).rectification_days == 30
