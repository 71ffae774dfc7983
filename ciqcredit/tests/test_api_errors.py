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
