"""POST /api/v1/dynamic/cases/{id}/answer: the office's answer to a defence (陈述申辩) through the API calls the
page's service: the same errors (stable codes, one error format), the same audit, and outsiders are refused."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase
from ciqcredit.dynamic.services import case_record_defence, dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, deliver, fixture_grade, fixture_record

ANSWER = {"answered_on": "2026-03-06", "answer": "经核实，申辩理由不成立", "upheld": False}


@pytest.fixture
def defended(web) -> DynamicCase:
    """A serious-list case whose written defence was accepted on 2026-03-05; today is 2026-03-06."""
    ent, officer = web.cast.enterprise, web.cast.bureau_a_user
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 2, 20)):
        fixture_record(ent, web.items["serious"], day, user=web.cast.branch_a_user, penalised=True)
    [case] = [c for c in dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP) if c.kind == "serious_list"]
    assert case.kind == CaseKind.SERIOUS_LIST
    deliver(case.notice, officer, dt.date(2026, 3, 2), method="post")
    web.on(dt.date(2026, 3, 5))
    case = case_record_defence(case=case, received_on=dt.date(2026, 3, 5), text="已整改", actor=Actor.of(officer))
    web.on(dt.date(2026, 3, 6))
    return case


def _url(case: DynamicCase) -> str:
    return f"/api/v1/dynamic/cases/{case.pk}/answer"


def _actions_after(mark: int) -> list[str]:
    """The actions audited since `mark`, without the page's login."""
    return sorted(
        AuditEntry.objects.filter(pk__gt=mark)
        .exclude(action__startswith="organizations.")
        .values_list("action", flat=True)
    )


def _mark() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_staff_answer_a_defence_through_the_api(web, defended):
    cast = web.cast
    response = cast.api(cast.staff_token_a).post(_url(defended), ANSWER, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["answered_on"], body["answer"]) == ("answered", "2026-03-06", ANSWER["answer"])
    defended.refresh_from_db()
    assert (defended.status, defended.answer_text) == (CaseStatus.ANSWERED, ANSWER["answer"])
    row = AuditEntry.objects.get(action="dynamic.case.answered")
    assert row.actor_id == cast.bureau_a_user.pk and row.new["reason"] == "申辩理由不成立"


@pytest.mark.parametrize("route", ["api", "page"])
def test_the_api_and_the_page_write_the_same_audit(web, defended, route):
    cast = web.cast
    mark = _mark()
    if route == "api":
        response = cast.api(cast.staff_token_a).post(_url(defended), ANSWER, content_type="application/json")
        assert response.status_code == 200
    else:
        response = cast.client_for(cast.bureau_a_user).post(
            f"/dynamic/cases/{defended.pk}/answer/", {"answered_on": ANSWER["answered_on"], "answer": ANSWER["answer"]}
        )
        assert response.status_code == 302
    assert _actions_after(mark) == ["dynamic.case.answered", "workdays.deadline.closed"]


def test_an_upheld_defence_cancels_the_case(web, defended):
    response = web.cast.api(web.cast.staff_token_a).post(
        _url(defended), {**ANSWER, "upheld": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({**ANSWER, "answer": "  "}, 422, "required"),
        ({**ANSWER, "answered_on": "2026-03-04"}, 422, "date_too_early"),
        ({**ANSWER, "answered_on": "2026-03-07"}, 422, "future_date"),
        ({"answer": "缺少日期"}, 422, "validation_error"),
    ],
)
def test_errors_come_in_the_one_format_with_their_codes(web, defended, payload, status, code):
    response = web.cast.api(web.cast.staff_token_a).post(_url(defended), payload, content_type="application/json")
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["message"] and "details" in body
    defended.refresh_from_db()
    assert defended.status == CaseStatus.DEFENCE_RECEIVED


def test_answering_twice_is_refused_as_on_the_page(web, defended):
    client = web.cast.api(web.cast.staff_token_a)
    assert client.post(_url(defended), ANSWER, content_type="application/json").status_code == 200
    again = client.post(_url(defended), ANSWER, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "wrong_case_status"
    page = web.cast.client_for(web.cast.bureau_a_user).post(
        f"/dynamic/cases/{defended.pk}/answer/", {"answered_on": "2026-03-06", "answer": "再答复"}, follow=True
    )
    assert again.json()["message"] in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("bureau_b", 404), ("enterprise", 404), ("api_client", 404), ("collector_in_scope", 403), ("anonymous", 401)],
)
def test_outsiders_are_refused(web, defended, who, status):
    cast = web.cast
    client = {
        "bureau_b": lambda: cast.client_for(cast.bureau_b_user),
        "enterprise": lambda: cast.client_for(cast.enterprise_user),
        "api_client": lambda: cast.api(cast.api_token),
        "collector_in_scope": lambda: cast.client_for(cast.branch_a_user),
        "anonymous": lambda: cast.api(None),
    }[who]()
    response = client.post(_url(defended), ANSWER, content_type="application/json")
    assert response.status_code == status, response.content
    assert "code" in response.json()
    defended.refresh_from_db()
    assert defended.status == CaseStatus.DEFENCE_RECEIVED and defended.answer_text == ""
