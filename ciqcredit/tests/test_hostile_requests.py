"""Hostile and malformed requests answer 4xx in the one JSON error format (PostgreSQL and the parsers used
to answer 500): NUL and other control characters anywhere, broken multipart, oversize and non-JSON bodies."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ciqcredit.enterprises.models import Enterprise


def enterprise_body(cast, **extra) -> dict:
    body = {
        "name": "深圳市新兴贸易有限公司",
        "types": ["importer"],
        "registering_org": "475200",
        "registered_on": "2015-03-02",
        "status": "active",
    }
    body.update(extra)
    return body


def _refused(response, status=422, code="control_character"):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code
    return response.json()


@pytest.mark.parametrize("text", ["深圳\u0000贸易", "深圳\u0001贸易", "\u001f"])
def test_control_characters_in_a_json_body_are_422(cast, text):
    client = cast.api(cast.api_token)
    url = f"/api/v1/enterprises/{cast.enterprise.credit_code}"
    body = _refused(client.put(url, json.dumps(enterprise_body(cast, name=text)), content_type="application/json"))
    assert "控制字符" in body["message"]
    assert Enterprise.objects.get(pk=cast.enterprise.pk).name == cast.enterprise.name


def test_an_escaped_backslash_is_not_a_control_character(cast):
    client = cast.api(cast.api_token)
    url = f"/api/v1/enterprises/{cast.enterprise.credit_code}"
    body = json.dumps(enterprise_body(cast, name="深圳\\u0001贸易"))
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert Enterprise.objects.get(pk=cast.enterprise.pk).name == "深圳\\u0001贸易"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/enterprises?q=%00", "/api/v1/enterprises/%00", "/api/v1/records?credit_code=a%01b", "/api/v1/x%00"],
)
def test_control_characters_in_paths_and_queries_are_422(cast, url):
    _refused(cast.api(cast.staff_token_a).get(url))


def test_control_characters_in_a_page_form_are_refused(cast):
    response = cast.client_for(cast.bureau_a_user).get("/enterprises/", {"q": "深圳\u0000"})
    assert response.status_code == 422
    assert "请求无法处理" in response.content.decode()


def test_record_creation_with_nul_is_422(cast):
    body = {"credit_code": cast.enterprise.credit_code, "item_code": "S04", "route": "supervision",
            "occurred_on": "2017-10-09", "discovered_on": "2017-10-10", "verified_on": "2017-10-11",
            "description": "\u0000"}  # fmt: skip
    _refused(cast.api(cast.staff_token_a).post("/api/v1/records", json.dumps(body), content_type="application/json"))


def _jsonl(cast, **extra) -> bytes:
    return (json.dumps({"credit_code": cast.enterprise.credit_code, **enterprise_body(cast, **extra)}) + "\n").encode()


def test_an_import_file_with_nul_rejects_the_row(cast):
    upload = io.BytesIO(_jsonl(cast, name="坏\u0000名称"))
    upload.name = "enterprises.jsonl"
    response = cast.api(cast.api_token).post("/api/v1/enterprises/import", {"file": upload})
    body = _refused(response, 422, "import_rejected")
    assert [(r["line"], r["field"], r["code"]) for r in body["details"]["rejected"]] == [
        (1, "name", "control_character")
    ]


def test_the_import_command_reports_the_row_instead_of_a_traceback(cast, tmp_path):
    path = tmp_path / "enterprises.jsonl"
    path.write_bytes(_jsonl(cast, legal_representative="张\u0000三"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_enterprises", str(path), stdout=out, stderr=err)
    assert "控制字符" in out.getvalue() + err.getvalue() + str(refused.value)


def test_multipart_without_a_boundary_is_400(cast):
    response = cast.api(cast.api_token).generic(
        "POST", "/api/v1/enterprises/import", b"--x\r\n\r\n", content_type="multipart/form-data"
    )
    _refused(response, 400, "bad_multipart")


def test_an_oversize_body_is_413(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"records": [{"eciq_id": "x" * 2048}]})
    response = cast.api(cast.api_token).post("/api/v1/intake/eciq", body, content_type="application/json")
    _refused(response, 413, "request_too_large")


def test_a_text_plain_body_is_not_taken_for_json(cast):
    body = json.dumps(enterprise_body(cast))
    response = cast.api(cast.api_token).put(
        f"/api/v1/enterprises/{cast.enterprise.credit_code}", body, content_type="text/plain"
    )
    _refused(response, 415, "unsupported_media_type")
