"""The enterprise's defence online: accepted within the period stated by its notice, with evidence files, seen by
the office in its to-dos; refused after the period (with the deadline) and where the notice gives no right."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import CaseStatus
from ciqcredit.dynamic.services import case_answer_defence
from ciqcredit.portal.tests.fixtures import downgrade_case_sent, listing_case_sent


def _evidence(name="整改报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_defence_inside_the_period_reaches_the_office_and_its_answer_the_enterprise(world):
    case = listing_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    client.get(f"/portal/notices/{case.notice.number}/")  # opened on 2026-03-02: the defence runs to 03-12
    world.on(dt.date(2026, 3, 12))
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "2026年3月12日" in page and "提交陈述申辩" in page
    response = client.post(
        f"/portal/cases/{case.pk}/",
        {"statement": "涉案货物已全部退运，相关人员已处理。", "files": [_evidence(), _evidence("照片.jpg")]},
        follow=True,
    )
    assert "陈述申辩已提交" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DEFENCE_RECEIVED and case.defence_online
    assert case.defence_received_on == dt.date(2026, 3, 12)
    assert sorted(case.defence_evidence.values_list("name", flat=True)) == ["整改报告.pdf", "照片.jpg"]

    queue = world.cast.client_for(world.cast.bureau_a_user).get("/records/queue/").content.decode()
    assert "待答复的陈述申辩" in queue and world.cast.enterprise.name in queue
    staff_case = world.cast.client_for(world.cast.bureau_a_user).get(f"/dynamic/cases/{case.pk}/").content.decode()
    assert "涉案货物已全部退运" in staff_case and "整改报告.pdf" in staff_case

    world.on(dt.date(2026, 3, 13))
    case_answer_defence(
        case=case,
        answered_on=dt.date(2026, 3, 13),
        answer="理由不成立",
        upheld=False,
        actor=Actor.of(world.cast.bureau_a_user),
    )
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "理由不成立" in page
    assert "陈述申辩已答复" in client.get("/portal/").content.decode()


def test_defence_after_the_period_is_refused_with_the_deadline(world):
    case = listing_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    client.get(f"/portal/notices/{case.notice.number}/")
    world.on(dt.date(2026, 3, 13))
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "陈述申辩期限已于2026年3月12日届满" in page and 'name="statement"' not in page
    response = client.post(f"/portal/cases/{case.pk}/", {"statement": "迟到的申辩"}, follow=True)
    assert "2026年3月12日届满" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DEFENCE_PERIOD and not case.defence_text
    api = world.cast.client_for(world.cast.enterprise_user)
    body = api.post(f"/api/v1/me/cases/{case.pk}/defence", {"statement": "迟到的申辩"})
    assert body.status_code == 409
    assert body.json()["code"] == "defence_period_over" and body.json()["details"]["due_on"] == "2026-03-12"


def test_api_defence_inside_the_period(world):
    case = listing_case_sent(world)
    api = world.cast.client_for(world.cast.enterprise_user)
    api.get(f"/api/v1/me/notices/{case.notice.number}")
    response = api.post(f"/api/v1/me/cases/{case.pk}/defence", {"statement": "已整改", "files": [_evidence()]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == CaseStatus.DEFENCE_RECEIVED and body["defence"]["files"] == ["整改报告.pdf"]
    again = api.post(f"/api/v1/me/cases/{case.pk}/defence", {"statement": "再次提交"})
    assert again.status_code == 409 and again.json()["code"] == "defence_already_submitted"


def test_no_defence_where_the_notice_gives_none(world):
    case, _, _ = downgrade_case_sent(world)
    client = world.cast.client_for(world.cast.enterprise_user)
    client.get(f"/portal/notices/{case.notice.number}/")  # delivered: the downgrade is carried out
    page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    assert "未给予陈述申辩的权利" in page and 'name="statement"' not in page
    response = client.post(f"/api/v1/me/cases/{case.pk}/defence", {"statement": "不服"})
    assert response.status_code == 409 and response.json()["code"] == "no_defence_right"
