"""The supervision pages render for their people, in Chinese, and answer 404 outside their scope."""

from ciqcredit.actors import Actor
from ciqcredit.oversight.models import InspectionSheet
from ciqcredit.oversight.services import plan_create, sheet_item_judge, sheet_submit
from ciqcredit.oversight.tests.conftest import Q_END, Q_START

QUERY = "org=470000&start=2017-10-01&end=2017-12-31"


def test_figures_page_and_drilldown(quarter):
    client = quarter.cast.client_for(quarter.supervisor_a)
    page = client.get(f"/supervision/?{QUERY}")
    text = page.content.decode()
    assert page.status_code == 200 and "信用信息采集" in text and "<svg" in text and "逾期采集" in text
    assert f"/supervision/figures/collection.late/?{QUERY.replace('&', '&amp;')}" in text
    rows = client.get(f"/supervision/figures/collection.late/?{QUERY}").content.decode()
    assert "逾期采集（1）" in rows and quarter.late_record.association_no in rows
    assert client.get(f"/supervision/figures/nothing.here/?{QUERY}").status_code == 404
    b = quarter.cast.client_for(quarter.bureau_b_user)
    assert b.get(f"/supervision/?{QUERY}").status_code == 404  # bureau A is not B's to see
    assert quarter.cast.client_for(quarter.branch_a_user).get("/supervision/").status_code == 403  # a collector


def test_plan_sheet_task_pages(quarter):
    client = quarter.cast.client_for(quarter.supervisor_a)
    form = client.get("/supervision/plans/new/")
    assert form.status_code == 200 and "皇岗" in form.content.decode()
    created = client.post(
        "/supervision/plans/new/",
        {
            "mode": "inspection",
            "kind": "quarterly",
            "title": "",
            "period_start": "2017-10-01",
            "period_end": "2017-12-31",
            "offices": ["475200"],
            "inspectors": ["a_supervisor"],
            "extra_items": "SZ-1｜信用信息公示栏及时更新｜每月更新",
        },
    )
    assert created.status_code == 302
    plan_url = created["Location"]
    plan_page = client.get(plan_url).content.decode()
    assert "季度督查" in plan_page and "填写检查表" in plan_page
    sheet = InspectionSheet.objects.get()
    sheet_page = client.get(f"/supervision/sheets/{sheet.pk}/").content.decode()
    assert "SZ-1" in sheet_page and "提交检查表" in sheet_page
    item = sheet.items.get(code="6.2.4")
    r = client.post(
        f"/supervision/sheets/{sheet.pk}/", {"item": item.pk, "verdict": "noncompliant", "notes": "告知书逾期送达"}
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.verdict == "noncompliant"
    b = quarter.cast.client_for(quarter.bureau_b_user)
    assert b.get(plan_url).status_code == 404 and b.get(f"/supervision/sheets/{sheet.pk}/").status_code == 404


def test_office_sees_its_task_in_the_queue(quarter):
    plan = plan_create(
        mode="inspection",
        kind="quarterly",
        title="",
        period_start=Q_START,
        period_end=Q_END,
        offices=[quarter.branch_a],
        inspectors=[quarter.supervisor_a],
        actor=Actor.of(quarter.supervisor_a),
    )
    sheet = plan.sheets.get()
    who = Actor.of(quarter.supervisor_a)
    for item in sheet.items.all():
        verdict = "noncompliant" if item.code == "6.1.2" else "basic"
        sheet_item_judge(item=item, verdict=verdict, notes="培训覆盖不足", actor=who)
    sheet_submit(sheet=sheet, conclusion="", actor=who)
    office = quarter.cast.client_for(quarter.branch_credit)
    queue = office.get("/records/queue/").content.decode()
    assert "待整改的督查问题" in queue and "培训覆盖不足" in queue
    task = sheet.items.get(code="6.1.2").task
    page = office.get(f"/supervision/tasks/{task.pk}/").content.decode()
    assert "报送整改情况" in page


def test_the_figures_page_offers_organizations_by_name_within_scope(quarter):
    text = quarter.cast.client_for(quarter.supervisor_a).get("/supervision/").content.decode()
    select = text.split('name="org"')[1].split("</select>")[0]
    assert "深圳" in select and "皇岗出入境检验检疫局" in select and 'value="475200"' in select
    assert "北京" not in select and "机构代码" not in text
