"""Malformed API input answers 422 in the one error format, with Chinese messages per field."""

import json


def test_validation_errors_name_each_field_in_chinese(cast):
    client = cast.api(cast.staff_token_a)
    response = client.get("/api/v1/workdays/add?start=2017-13-01&days=abc")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["message"] == "请求数据格式不正确"
    by_field = {e["field"]: e["message"] for e in body["details"]["errors"]}
    assert by_field == {"start": "日期格式应为 YYYY-MM-DD", "days": "应为整数"}


def test_missing_body_fields_are_reported(cast):
    client = cast.api(cast.api_token)
    response = client.post("/api/v1/intake/activity", json.dumps({}), content_type="application/json")
    assert response.status_code == 422
    assert {"field": "items", "message": "必填字段缺失", "type": "missing"} in response.json()["details"]["errors"]


def test_an_unknown_api_path_is_a_json_404(cast):
    response = cast.api(cast.staff_token_a).get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_an_unexpected_api_failure_is_a_json_500_without_a_traceback(cast, monkeypatch):
    from django.test import Client

    def broken(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("ciqcredit.workdays.calendar.add_days", broken)
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {cast.staff_token_a}"})
    response = client.get("/api/v1/workdays/add?start=2017-09-29&days=5")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "服务器内部错误，已记录；请稍后重试", "details": {}}
    assert "database fell over" not in response.content.decode()


def test_people_get_the_chinese_404_page(cast):
    response = cast.client_for(cast.bureau_a_user).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_dates_are_only_yyyy_mm_dd_never_a_unix_time(cast):
    client = cast.api(cast.staff_token_a)
    for url in ("/api/v1/records?occurred_to=0", "/api/v1/records?occurred_from=1500000000"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.json()["details"]["errors"][0]["message"] == "日期格式应为 YYYY-MM-DD"
    body = {"credit_code": cast.enterprise.credit_code, "item_code": "S04", "route": "supervision",
            "occurred_on": 0, "discovered_on": "2017-10-10", "verified_on": "2017-10-11"}  # fmt: skip
    response = client.post("/api/v1/records", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["details"]["errors"]] == ["occurred_on"]
    assert client.get("/api/v1/records?occurred_to=2017-10-31").status_code == 200
