"""The JSON API: the shape of /workdays/add, errors as 422, and who may load a schedule."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.workdays.models import ScheduleYear

ADD = "/api/v1/workdays/add"
SCHEDULE_2027 = json.dumps({"year": 2027, "holidays": [{"date": "2027-01-01", "name": "元旦"}]}).encode()


def upload(client, year=2027, content=SCHEDULE_2027, name="2027.json"):
    return client.post(f"/api/v1/workdays/schedules/{year}", {"file": SimpleUploadedFile(name, content)})


def test_add_returns_the_documented_shape(seeded, cast):
    response = cast.api(cast.api_token).get(ADD, {"start": "2017-09-29", "days": 5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "date",
        "provisional",
        "skipped_holidays",
        "makeup_workdays",
        "skipped_weekends",
        "explanation",
    }
    assert body["date"] == "2017-10-12" and body["provisional"] is False
    assert body["makeup_workdays"] == ["2017-09-30"] and len(body["skipped_holidays"]) == 8
    calendar_days = cast.client_for(cast.enterprise_user).get(
        ADD, {"start": "2017-09-29", "days": 5, "unit": "calendar"}
    )
    assert calendar_days.status_code == 200 and calendar_days.json()["date"] == "2017-10-04"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2017-09-29", "days": -1}, "workdays.negative_days"),
        ({"start": "2017-02-30", "days": 1}, "validation_error"),
        ({"start": "2017-09-29", "days": "five"}, "validation_error"),
        ({"start": "2017-09-29", "days": 1, "unit": "weeks"}, "validation_error"),
        ({"days": 1}, "validation_error"),
    ],
)
def test_bad_input_is_422_in_the_error_format(seeded, cast, params, code):
    response = cast.api(cast.staff_token_a).get(ADD, params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code and body["message"]


def test_anonymous_is_401(db, cast):
    assert cast.api(None).get(ADD, {"start": "2017-09-29", "days": 5}).status_code == 401
    assert upload(cast.api(None)).status_code == 401


def test_hq_admin_loads_a_schedule_others_are_refused(seeded, cast):
    for client in (
        cast.client_for(cast.bureau_a_user),
        cast.client_for(cast.hq_rules),
        cast.client_for(cast.enterprise_user),
        cast.api(cast.api_token),
        cast.api(cast.staff_token_a),
    ):
        response = upload(client)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not ScheduleYear.objects.filter(year=2027).exists()

    response = upload(cast.client_for(cast.hq_admin))
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["source"], body["holiday_count"], body["recomputed_deadlines"]) == (
        2027,
        "official",
        1,
        0,
    )
    listed = cast.api(cast.api_token).get("/api/v1/workdays/schedules").json()
    assert listed["items"][-1]["year"] == 2027 and listed["count"] == ScheduleYear.objects.count()
    detail = cast.api(cast.api_token).get("/api/v1/workdays/schedules/2027").json()
    assert detail["days"] == [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]
    assert cast.api(cast.api_token).get("/api/v1/workdays/schedules/2090").status_code == 404


def test_bad_upload_lists_every_error(seeded, cast):
    response = upload(
        cast.client_for(cast.hq_admin),
        content=b"date,kind,name\n2026-01-01,holiday,\n2027-01-05,workday,\n",
        name="x.csv",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "workdays.schedule.invalid"
    assert [e["line"] for e in body["details"]["errors"]] == [2, 3]
    assert not ScheduleYear.objects.filter(year=2027).exists()
