"""In a real browser: an inspector fills an inspection sheet, a finding becomes a task, the office answers, the
inspector accepts, closes the plan and publishes the circular, whose PDF downloads and reads back its number and
the office's figures."""

import io

import pytest
from pypdf import PdfReader

from ciqcredit.actors import Actor
from ciqcredit.oversight.models import RectificationTask
from ciqcredit.oversight.services import plan_create
from ciqcredit.oversight.tests.conftest import Q_END, Q_START, build_quarter

pytestmark = pytest.mark.browser


def test_inspection_to_circular(live_cast, open_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    quarter = build_quarter(live_cast, settings)
    plan = plan_create(
        mode="inspection",
        kind="quarterly",
        title="2017年第四季度信用管理工作督查",
        period_start=Q_START,
        period_end=Q_END,
        offices=[live_cast.branch_a],
        inspectors=[quarter.supervisor_a],
        actor=Actor.of(quarter.supervisor_a),
    )
    sheet = plan.sheets.get()

    inspector = open_page("a_supervisor")
    inspector.goto(f"{live_server.url}/records/queue/")
    with inspector.expect_navigation():
        inspector.click("text=填写检查表")
    assert inspector.url.endswith(f"/supervision/sheets/{sheet.pk}/")
    main = inspector.locator("main").inner_text()
    assert "逾期采集" in main and "50.0%" in main  # the pre-filled figures of the branch
    for item in sheet.items.order_by("position"):
        row = inspector.locator(f"#item-{item.pk}")
        if item.code == "6.2.1":
            row.locator("input[value=noncompliant]").check()
            row.locator("textarea[name=notes]").fill("2条信息中1条逾期1个工作日采集")
            row.locator("input[type=file]").set_input_files(
                files=[{"name": "抽查记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}]
            )
        else:
            row.locator("input[value=compliant]").check()
        with inspector.expect_navigation():
            row.locator("button[type=submit]").click()
    inspector.fill("textarea[name=conclusion]", "采集时限需加强")
    with inspector.expect_navigation():
        inspector.click("text=提交检查表")
    task = RectificationTask.objects.get()
    assert task.office == live_cast.branch_a and "逾期1个工作日" in task.finding

    office = open_page("a_branch_credit")
    office.goto(f"{live_server.url}/records/queue/")
    assert "待整改的督查问题" in office.locator("main").inner_text()
    with office.expect_navigation():
        office.click("text=办理")
    office.fill("textarea[name=answer]", "已组织采集人员学习采集时限要求")
    with office.expect_navigation():
        office.click("button:has-text('报送')")
    assert "已报送整改情况" in office.locator("main").inner_text()

    inspector.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
    inspector.fill("textarea[name=reason]", "整改到位")
    with inspector.expect_navigation():
        inspector.click("text=验收通过")
    assert "已验收" in inspector.locator("main").inner_text()
    inspector.goto(f"{live_server.url}/supervision/plans/{plan.pk}/")
    with inspector.expect_navigation():
        inspector.click("text=结束督查计划")
    with inspector.expect_navigation():
        inspector.click("text=发布督查通报")
    assert "470000-TB-2018-0001" in inspector.locator("main").inner_text()
    with inspector.expect_download() as info:
        inspector.click("text=下载通报（PDF）")
    path = tmp_path / "circular.pdf"
    info.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "470000-TB-2018-0001" in text
    assert "皇岗" in text and "逾期采集比例" in text and "50.0%" in text
    assert "2条信息中1条逾期1个工作日采集" in text
