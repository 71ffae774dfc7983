"""A plan from creation to circular: pre-filled sheets, judgements, findings become tasks, the office answers,
the inspector returns and accepts, overdue tasks show in the next period's figures, the circular is numbered."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError
from ciqcredit.oversight.circulars import circular_publish
from ciqcredit.oversight.documents import render_circular_docx, render_circular_pdf
from ciqcredit.oversight.figures import figures_for
from ciqcredit.oversight.models import RectificationTask, TaskStatus
from ciqcredit.oversight.services import (
    plan_close,
    plan_create,
    sheet_evidence_add,
    sheet_item_judge,
    sheet_submit,
    task_accept,
    task_answer,
    task_return,
)
from ciqcredit.oversight.tests.conftest import Q_END, Q_START

D = dt.date


def _plan(quarter):
    return plan_create(
        mode="inspection",
        kind="quarterly",
        title="2017年第四季度信用管理工作督查",
        period_start=Q_START,
        period_end=Q_END,
        offices=[quarter.branch_a],
        inspectors=[quarter.supervisor_a],
        extra_items=[{"code": "SZ-1", "title": "信用信息公示栏及时更新", "standard": "每月更新"}],
        actor=Actor.of(quarter.supervisor_a),
    )


def _judge_all(quarter, sheet, failing: str = "6.2.1"):
    who = Actor.of(quarter.supervisor_a)
    for item in sheet.items.all():
        if item.code == failing:
            sheet_item_judge(item=item, verdict="noncompliant", notes="1条信息逾期1个工作日采集", actor=who)
        else:
            sheet_item_judge(item=item, verdict="compliant", notes="", actor=who)


def test_sheet_is_prefilled_and_has_the_bureau_items(quarter):
    plan = _plan(quarter)
    [sheet] = plan.sheets.all()
    assert sheet.office == quarter.branch_a
    assert sheet.figures["collection"]["late"] == 1 and sheet.figures["adjustment"]["adjusted_outside_window"] == 1
    codes = list(sheet.items.values_list("code", flat=True))
    assert codes[:2] == ["6.1.1", "6.1.2"] and codes[-1] == "SZ-1" and len(codes) == 8
    assert AuditEntry.objects.filter(action="oversight.plan.created").count() == 1


def test_only_the_offices_below_and_only_organizers(quarter):
    with pytest.raises(DomainError) as exc:
        plan_create(
            mode="inspection",
            kind="quarterly",
            title="",
            period_start=Q_START,
            period_end=Q_END,
            offices=[quarter.bureau_b],
            inspectors=[],
            actor=Actor.of(quarter.supervisor_a),
        )
    assert exc.value.code == "invalid_office"
    with pytest.raises(DomainError) as exc:
        plan_create(
            mode="self",
            kind="quarterly",
            title="",
            period_start=Q_START,
            period_end=Q_END,
            offices=[quarter.branch_a],
            inspectors=[],
            actor=Actor.of(quarter.branch_a_user),  # a collector
        )
    assert exc.value.code == "forbidden"


def test_task_workflow_and_circular(quarter, settings):
    plan = _plan(quarter)
    [sheet] = plan.sheets.all()
    inspector, office = Actor.of(quarter.supervisor_a), Actor.of(quarter.branch_credit)
    item = sheet.items.get(code="6.2.1")
    with pytest.raises(DomainError) as exc:
        sheet_item_judge(item=item, verdict="noncompliant", notes=" ", actor=inspector)
    assert exc.value.code == "missing_notes"
    with pytest.raises(DomainError) as exc:  # not an inspector of the plan
        sheet_item_judge(item=item, verdict="compliant", notes="", actor=Actor.of(quarter.bureau_a_user))
    assert exc.value.code == "forbidden"
    sheet_evidence_add(item=item, upload=ContentFile(b"evidence", name="抽查记录.pdf"), actor=inspector)
    with pytest.raises(DomainError) as exc:
        sheet_submit(sheet=sheet, conclusion="", actor=inspector)
    assert exc.value.code == "sheet_incomplete"
    _judge_all(quarter, sheet)
    quarter.on(D(2018, 1, 8))
    sheet_submit(sheet=sheet, conclusion="基本符合要求，采集时限需加强", actor=inspector)
    task = RectificationTask.objects.get()
    assert (task.office, task.status, task.due_on) == (quarter.branch_a, "open", D(2018, 2, 7))  # 30 days
    assert task.deadline.kind == "oversight.rectification"
    with pytest.raises(DomainError) as exc:  # the inspector cannot answer for the office
        task_answer(task=task, answer="已整改", actor=inspector)
    assert exc.value.code == "forbidden"
    task_answer(
        task=task, answer="已组织采集人员培训", evidence=[ContentFile(b"x", name="培训签到表.pdf")], actor=office
    )
    task_return(task=task, reason="请补充整改后的采集记录", actor=inspector)
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    quarter.on(D(2018, 2, 12))
    task_answer(task=task, answer="已补充2018年1月采集记录", actor=office)
    task_accept(task=task, reason="整改到位", actor=inspector)
    task.refresh_from_db()
    assert (task.status, task.accepted_on, task.deadline.closed_on) == ("accepted", D(2018, 2, 12), D(2018, 2, 12))
    assert list(task.transitions.values_list("to_status", flat=True)) == [
        "open",
        "answered",
        "returned",
        "answered",
        "accepted",
    ]
    # Answered after the deadline of 2018-02-07: overdue in the next quarter's figures, no longer open.
    nxt = figures_for(quarter.bureau_a, D(2018, 1, 1), D(2018, 3, 31))
    assert nxt["rectification"] == {"open": 0, "overdue": 1}
    with pytest.raises(DomainError) as exc:
        circular_publish(plan=plan, actor=inspector)
    assert exc.value.code == "plan_open"
    plan_close(plan=plan, actor=inspector)
    circular = circular_publish(plan=plan, actor=inspector)
    assert circular.number == "470000-TB-2018-0001"
    [office_row] = circular.content["offices"]
    assert (office_row["rank"], office_row["noncompliant"], office_row["figures"]["collection.late"]) == (1, 1, 1)
    with pytest.raises(DomainError) as exc:
        circular_publish(plan=plan, actor=inspector)
    assert exc.value.code == "circular_exists"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_circular_pdf(circular.content))).pages)
    assert "470000-TB-2018-0001" in text and "皇岗" in text and "逾期采集" in text
    from docx import Document

    doc = Document(io.BytesIO(render_circular_docx(circular.content)))
    body = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "470000-TB-2018-0001" in body and "1条信息逾期1个工作日采集" in body


def test_open_task_past_its_deadline_counts_as_overdue(quarter):
    plan = _plan(quarter)
    [sheet] = plan.sheets.all()
    _judge_all(quarter, sheet)
    quarter.on(D(2018, 1, 8))
    sheet_submit(sheet=sheet, conclusion="", actor=Actor.of(quarter.supervisor_a))
    quarter.on(D(2018, 3, 1))
    f = figures_for(quarter.branch_a, D(2018, 1, 1), D(2018, 3, 31))
    assert f["rectification"] == {"open": 1, "overdue": 1}
    assert figures_for(quarter.bureau_b, D(2018, 1, 1), D(2018, 3, 31))["rectification"] == {"open": 0, "overdue": 0}
