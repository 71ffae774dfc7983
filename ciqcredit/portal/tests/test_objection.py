"""Objections: filed within the rule set's window of the record becoming visible, reviewed by the collecting
organization; upheld, the record is revoked and the downgrade it caused reversed by a new, audited grade change
that the change feed reports; rejected, the answer gives the reason."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ciqcredit.audit.models import AuditEntry
from ciqcredit.collection.models import Objection
from ciqcredit.dynamic.models import CaseStatus
from ciqcredit.dynamic.tests.conftest import TODAY
from ciqcredit.portal.tests.fixtures import downgrade_case_sent
from ciqcredit.rating.models import ChangeFeedEntry, GradeCause, GradeChange
from ciqcredit.rating.services.grades import grade_on


def _visible_on(record, day: dt.date) -> None:
    record.effective_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    record.save(update_fields=["effective_at"])


def test_upheld_objection_withdraws_the_record_and_reverses_the_downgrade(world):
    case, _, trigger = downgrade_case_sent(world)
    _visible_on(trigger, dt.date(2026, 2, 20))
    client = world.cast.client_for(world.cast.enterprise_user)
    client.get(f"/portal/notices/{case.notice.number}/")  # delivered 2026-03-02: A → B with 布控
    downgraded = grade_on(world.cast.enterprise, dt.date(2026, 3, 2))
    assert downgraded.cause == GradeCause.DYNAMIC_DOWNGRADE and downgraded.grade == "B"

    records = client.get("/api/v1/me/records").json()["items"]
    row = next(r for r in records if r["id"] == trigger.pk)
    assert row["may_object"] and row["objection_until"] == "2026-03-12"  # 20 days after it became visible
    filed = client.post(
        "/api/v1/me/objections",
        {
            "record": trigger.pk,
            "reasons": "该批货物已由海关放行，不存在不符",
            "files": [SimpleUploadedFile("放行单.pdf", b"%PDF")],
        },
    )
    assert filed.status_code == 201, filed.content
    objection = Objection.objects.get()
    assert objection.due_on == dt.date(2026, 3, 22) and [f.name for f in objection.files.all()] == ["放行单.pdf"]
    again = client.post("/api/v1/me/objections", {"record": trigger.pk, "reasons": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "objection_pending"

    officer = world.cast.client_for(world.cast.bureau_a_user)
    assert "待复核的企业异议" in officer.get("/records/queue/").content.decode()
    world.on(dt.date(2026, 3, 10))
    response = officer.post(
        f"/records/objections/{objection.pk}/", {"decision": "revoke", "answer": "经核实，放行单真实有效"}, follow=True
    )
    assert "复核结论已保存" in response.content.decode()
    objection.refresh_from_db()
    trigger.refresh_from_db()
    assert (objection.status, objection.outcome, trigger.status) == ("upheld", "revoked", "revoked")

    restored = grade_on(world.cast.enterprise, dt.date(2026, 3, 10))
    assert (restored.grade, restored.controlled, restored.cause) == ("A", False, GradeCause.REVERSAL)
    reversal = GradeChange.objects.get(pk=restored.change_id)
    assert reversal.previous_grade == "B" and "撤销即时降级" in reversal.reason
    feed = ChangeFeedEntry.objects.filter(change=reversal)
    assert {(f.kind, f.cause) for f in feed} == {("grade_changed", "reversal"), ("control_cleared", "reversal")}
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED and case.reversal_id == reversal.pk
    assert AuditEntry.objects.filter(action="dynamic.case.reversed", target_id=str(case.pk)).exists()
    assert AuditEntry.objects.filter(action="collection.objection.upheld").exists()
    mine = client.get("/portal/objections/").content.decode()
    assert "异议成立" in mine and "经核实，放行单真实有效" in mine
    assert world.cast.enterprise.dynamic_cases.count() == 1  # 12 points remain: nothing reopened


def test_rejected_objection_keeps_the_record_and_answers_with_the_reason(world):
    case, first, _ = downgrade_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    response = client.post(f"/portal/records/{first.pk}/objection/", {"reasons": "不认可"}, follow=True)
    assert "异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    officer = world.cast.client_for(world.cast.branch_a_reviewer)
    officer.post(f"/records/objections/{objection.pk}/", {"decision": "reject", "answer": "现场检验记录完整"})
    objection.refresh_from_db()
    first.refresh_from_db()
    assert (objection.status, first.status) == ("rejected", "effective")
    assert "现场检验记录完整" in client.get("/portal/objections/").content.decode()


def test_objection_after_the_window_is_refused_with_its_dates(world):
    _, first, _ = downgrade_case_sent(world)
    _visible_on(first, dt.date(2026, 2, 1))  # the window closed on 2026-02-21
    client = world.cast.client_for(world.cast.enterprise_user)
    page = client.get("/portal/records/").content.decode()
    assert "异议期限已于 2026-02-21 届满" in page
    response = client.post("/api/v1/me/objections", {"record": first.pk, "reasons": "迟到的异议"})
    assert response.status_code == 409
    assert response.json()["code"] == "objection_period_over" and response.json()["details"]["due_on"] == "2026-02-21"
    assert not Objection.objects.exists()
    late = client.get(f"/portal/records/{first.pk}/objection/").content.decode()
    assert "提交异议" not in late and "异议期限已过" in late


def test_the_objection_page_offers_no_second_objection_while_one_is_reviewed(world):
    _, first, _ = downgrade_case_sent(world)
    _visible_on(first, TODAY)
    client = world.cast.client_for(world.cast.enterprise_user)
    url = f"/portal/records/{first.pk}/objection/"
    assert "提交异议" in client.get(url).content.decode()
    client.post(url, {"reasons": "该问题已当场整改，不应记录"})
    assert Objection.objects.filter(record=first, status="pending").count() == 1
    page = client.get(url).content.decode()
    assert "提交异议" not in page and "正在复核中" in page


def test_staff_of_another_bureau_cannot_review(world):
    _, first, _ = downgrade_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    client.post("/api/v1/me/objections", {"record": first.pk, "reasons": "不认可"})
    objection = Objection.objects.get()
    other = world.cast.client_for(world.cast.bureau_b_user)
    assert other.get(f"/records/objections/{objection.pk}/").status_code == 404
    assert other.post(f"/records/objections/{objection.pk}/", {"decision": "revoke", "answer": "x"}).status_code == 404
    assert Objection.objects.get().status == "pending"
