"""The supervision checklist has pages like the other kinds: its version shows items and schedule in Chinese,
and a draft's schedule and rectification period are edited through a form (the schedule as rows; the items one
by one on the version's page: test_checklist_item_pages)."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.catalogue.models import ChecklistVersion
from ciqcredit.catalogue.reference import reference_checklist_load


@pytest.fixture
def checklist(reference):
    reference_checklist_load(actor=Actor.job("test"))


def _post(version: ChecklistVersion, **changes) -> dict:
    data = {
        "rectification_days": str(version.rectification_days),
        "schedule-TOTAL_FORMS": str(len(version.schedule) + 1),
        "schedule-INITIAL_FORMS": str(len(version.schedule)),
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


def test_a_checklist_draft_s_schedule_is_edited_through_its_form(checklist, cast, today):
    admin = cast.client_for(cast.hq_admin)
    assert admin.post("/rules/checklist/new/").status_code == 302
    draft = ChecklistVersion.objects.get(number=2)
    codes = list(draft.checklist_items.values_list("code", flat=True))
    page = admin.get("/rules/checklist/2/").content.decode()
    assert "/rules/checklist/2/content/" in page
    form = admin.get("/rules/checklist/2/content/").content.decode()
    assert "期末后开启天数" in form and "项目编号" not in form  # the items are edited on the version's page

    # A new schedule row opening 120 days after the period: refused in Chinese, what was typed kept.
    new = len(draft.schedule)
    row = {f"schedule-{new}-{key}": value for key, value in (("kind", "annual"), ("inspector_level", "hq"))}
    bad = _post(draft, **row, **{f"schedule-{new}-mode": "self", f"schedule-{new}-open_after_days": "120"})
    text = admin.post("/rules/checklist/2/content/", bad).content.decode()
    assert "确保该值小于或等于90" in text and 'value="120"' in text
    draft.refresh_from_db()
    assert len(draft.schedule) == new
    # The first entry opened after 7 days, the last removed, the period 20 days; the items untouched.
    good = _post(
        draft,
        rectification_days="20",
        **{"schedule-0-open_after_days": "7", f"schedule-{new - 1}-DELETE": "on"},
    )
    assert admin.post("/rules/checklist/2/content/", good).status_code == 302
    draft.refresh_from_db()
    assert draft.rectification_days == 20 and draft.schedule[0]["open_after_days"] == 7
    assert len(draft.schedule) == new - 1
    assert list(draft.checklist_items.values_list("code", flat=True)) == codes
    audit = AuditEntry.objects.get(action="catalogue.checklist.schedule_updated")
    assert audit.old["rectification_days"] == 30 and audit.new["rectification_days"] == 20
    # A published checklist is not edited.
    response = admin.post("/rules/checklist/1/content/", _post(ChecklistVersion.objects.get(number=1)))
    assert response.status_code == 200 and ChecklistVersion.objects.get(number=1).rectification_days == 30
