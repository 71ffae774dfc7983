"""The API contract: results, confirm, adjust, grade on a date, explanation, activity feed; and who is refused."""

import datetime as dt
import json

import pytest

from ciqcredit.rating.models import MonthlyActivity
from ciqcredit.rating.services.evaluation import evaluation_run
from ciqcredit.rating.tests.conftest import PERIOD_END, SETUP, activity, give_grade
from ciqcredit.testing import credit_code_for


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def run(world):
    activity(world.cast.enterprise, dt.date(2017, 3, 1))
    world.records.add(world.cast.enterprise, 3, dt.date(2017, 3, 2))
    return evaluation_run(period_end=PERIOD_END, actor=SETUP)


def test_results_confirm_adjust_and_grade(world, run):
    code = world.cast.enterprise.credit_code
    officer = world.cast.api(world.cast.staff_token_a)
    got = officer.get(f"/api/v1/evaluations/{run.pk}/results?credit_code={code}")
    assert got.status_code == 200
    assert got.json() == [{"credit_code": code, "initial_grade": "B", "points": 3, "rule": "band", "status": "pending"}]
    assert world.cast.api(None).get(f"/api/v1/evaluations/{run.pk}/results").status_code == 401
    b = world.cast.client_for(world.cast.bureau_b_user)
    assert b.get(f"/api/v1/evaluations/{run.pk}/results?credit_code={code}").json() == []
    assert post(b, f"/api/v1/evaluations/{run.pk}/confirm", {"credit_codes": [code]}).status_code == 404

    assert post(officer, f"/api/v1/evaluations/{run.pk}/confirm", {"credit_codes": [code]}).json() == {"confirmed": 1}
    grade = officer.get(f"/api/v1/enterprises/{code}/grade").json()
    assert grade == {
        "credit_code": code,
        "grade": "B",
        "effective_from": "2017-10-09",
        "cause": "periodic",
        "ruleset_version": 1,
        "controlled": False,
    }
    bad = post(officer, f"/api/v1/evaluations/{run.pk}/adjust", {"credit_code": code, "grade": "C", "reason": ""})
    assert (bad.status_code, bad.json()["code"]) == (400, "missing_reason")
    adjusted = post(
        officer,
        f"/api/v1/evaluations/{run.pk}/adjust",
        {"credit_code": code, "grade": "C", "reason": "多次报检差错，约谈未整改"},
    )
    assert adjusted.status_code == 200 and adjusted.json()["status"] == "adjusted"
    assert officer.get(f"/api/v1/enterprises/{code}/grade").json()["cause"] == "adjustment"


def test_grade_on_a_past_date(world):
    e = world.cast.enterprise
    give_grade(e, "B", dt.date(2015, 10, 8))
    give_grade(e, "A", dt.date(2016, 10, 8))
    give_grade(e, "C", dt.date(2017, 5, 2), cause="dynamic_downgrade", controlled=True)
    client = world.cast.api(world.cast.api_token)
    url = f"/api/v1/enterprises/{e.credit_code}/grade"
    assert client.get(url + "?on=2015-10-07").json()["grade"] is None
    assert client.get(url + "?on=2015-10-08").json()["grade"] == "B"
    assert client.get(url + "?on=2017-05-01").json()["grade"] == "A"
    now = client.get(url + "?on=2017-05-02").json()
    assert (now["grade"], now["cause"], now["controlled"]) == ("C", "dynamic_downgrade", True)
    assert world.cast.client_for(world.cast.bureau_b_user).get(url).status_code == 404
    assert world.cast.api(None).get(url).status_code == 401


def test_explanation_lists_counted_and_uncounted_records(world, run, settings):
    e = world.cast.enterprise
    from ciqcredit.testing import make_enterprise

    agent = make_enterprise(60, world.cast.branch_a, types=("declaration_agent",))
    outside = world.records.add(e, 6, dt.date(2016, 9, 30))
    revoked = world.records.add(e, 12, dt.date(2017, 4, 1), status="revoked")
    not_mine = world.records.add(agent, 2, dt.date(2017, 4, 2), other_party=e)
    officer = world.cast.api(world.cast.staff_token_a)
    post(
        officer, f"/api/v1/evaluations/{run.pk}/adjust", {"credit_code": e.credit_code, "grade": "C", "reason": "理由X"}
    )
    data = officer.get(f"/api/v1/enterprises/{e.credit_code}/grade/explain").json()
    assert (data["grade"], data["points"], data["rule"], data["ruleset_version"]) == ("C", 3, "band", 1)
    by_id = {r["id"]: r for r in data["records"]}
    assert by_id[outside.pk]["counted"] is False and by_id[outside.pk]["reason"] == "outside_period"
    assert by_id[revoked.pk]["reason"] == "revoked"
    assert by_id[not_mine.pk]["reason"] == "not_responsible"
    counted = [r for r in data["records"] if r["counted"]]
    assert [(r["item_code"], r["points"], r["reason"]) for r in counted] == [("T01", 3, "counted")]
    assert data["thresholds"]["bands"][0] == {"min_points": 0, "max_points": 0, "grade": "A"}
    assert data["adjustment"] == {
        "from_grade": "B",
        "to_grade": "C",
        "reason": "理由X",
        "decided_by": "a_credit",
        "decided_at": data["adjustment"]["decided_at"],
    }


def test_activity_feed_is_idempotent_and_lists_rejections(world):
    client = world.cast.api(world.cast.api_token)
    code = world.cast.enterprise.credit_code
    items = [
        {"credit_code": code, "month": "2017-09", "declarations": 40, "declaration_errors": 1},
        {"credit_code": code[:-1] + "0", "month": "2017-09", "declarations": 1, "declaration_errors": 0},
        {"credit_code": code, "month": "2017-13", "declarations": 1, "declaration_errors": 0},
        {"credit_code": code, "month": "2017-08", "declarations": 1, "declaration_errors": 2},
        {"credit_code": credit_code_for(999), "month": "2017-08", "declarations": 1, "declaration_errors": 0},
    ]
    first = post(client, "/api/v1/intake/activity", {"items": items}).json()
    assert (first["created"], first["updated"], first["unchanged"]) == (1, 0, 0)
    assert [(r["index"], r["code"]) for r in first["rejected"]] == [
        (1, "bad_check_character"),
        (2, "bad_month"),
        (3, "errors_exceed_declarations"),
        (4, "unknown_enterprise"),
    ]
    again = post(client, "/api/v1/intake/activity", {"items": items[:1]}).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    changed = post(client, "/api/v1/intake/activity", {"items": [dict(items[0], declarations=41)]}).json()
    assert changed["updated"] == 1
    assert MonthlyActivity.objects.get().declarations == 41
    from ciqcredit.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="rating.activity.received").count() == 2
    staff = world.cast.client_for(world.cast.bureau_a_user)
    assert post(staff, "/api/v1/intake/activity", {"items": items}).status_code == 403


def test_only_hq_admin_starts_evaluations_over_the_api(world):
    body = {"period_end": "2017-09-30"}
    assert post(world.cast.client_for(world.cast.bureau_a_user), "/api/v1/evaluations", body).status_code == 403
    response = post(world.cast.client_for(world.cast.hq_admin), "/api/v1/evaluations", body)
    assert response.status_code == 201 and response.json()["enterprises"] == 1
    again = post(world.cast.client_for(world.cast.hq_admin), "/api/v1/evaluations", body)
    assert (again.status_code, again.json()["code"]) == (409, "evaluation_exists")
