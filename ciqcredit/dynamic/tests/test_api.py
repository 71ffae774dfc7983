"""GET /api/v1/dynamic/cases, /cases/{id}, /notices/{id}.pdf and POST /notices/{id}/delivery (multipart)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciqcredit.dynamic.services import dynamic_recheck
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proceed


@pytest.fixture
def case(web):
    ent = web.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, web.items["ordinary"], day, user=web.cast.branch_a_user)
    [case] = proceed(dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP))
    return case


def test_list_and_detail_scoped(web, case):
    cast = web.cast
    mine = cast.api(cast.staff_token_a).get("/api/v1/dynamic/cases?open=true")
    assert mine.status_code == 200
    [item] = mine.json()["items"]
    assert (item["id"], item["status"], item["notice"]["number"]) == (case.pk, "awaiting_notice", case.notice.number)
    detail = cast.api(cast.staff_token_a).get(f"/api/v1/dynamic/cases/{case.pk}").json()
    assert [r["points"] for r in detail["records"]] == [12, 12]
    assert [t["to"] for t in detail["transitions"]] == ["awaiting_confirmation", "awaiting_notice"]
    assert cast.client_for(cast.bureau_b_user).get("/api/v1/dynamic/cases").json()["count"] == 0
    outside = cast.client_for(cast.bureau_b_user).get(f"/api/v1/dynamic/cases/{case.pk}")
    assert outside.status_code == 404 and outside.json()["code"] == "not_found"
    assert cast.client_for(cast.enterprise_user).get(f"/api/v1/dynamic/cases/{case.pk}").status_code == 404
    assert cast.api(None).get("/api/v1/dynamic/cases").status_code == 401


def test_pdf_download(web, case):
    cast = web.cast
    response = cast.api(cast.staff_token_a).get(f"/api/v1/notices/{case.notice.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert cast.client_for(cast.bureau_b_user).get(f"/api/v1/notices/{case.notice.pk}.pdf").status_code == 404


def test_delivery_multipart(web, case):
    cast = web.cast
    url = f"/api/v1/notices/{case.notice.pk}/delivery"
    data = {"method": "post", "delivered_on": "2026-03-02", "recipient": "王经理"}
    missing = cast.api(cast.staff_token_a).post(url, data)
    assert missing.status_code == 422
    future = cast.api(cast.staff_token_a).post(
        url, {**data, "delivered_on": "2026-03-09", "proof_file": SimpleUploadedFile("r.pdf", b"x")}
    )
    assert future.status_code == 422 and future.json()["details"]["errors"][0]["code"] == "future_date"
    denied = cast.api(cast.api_token).post(url, {**data, "proof_file": SimpleUploadedFile("r.pdf", b"x")})
    assert denied.status_code == 404  # an API client sees no case, so no notice either
    ok = cast.api(cast.staff_token_a).post(url, {**data, "proof_file": SimpleUploadedFile("r.pdf", b"receipt")})
    assert ok.status_code == 200, ok.content
    assert ok.json()["delivered"] is True and ok.json()["delivery_method"] == "post"
    again = cast.api(cast.staff_token_a).post(url, {**data, "proof_file": SimpleUploadedFile("r.pdf", b"x")})
    assert again.status_code == 409 and again.json()["code"] == "notice_already_delivered"
    case.refresh_from_db()
    assert case.status == "carried_out"
