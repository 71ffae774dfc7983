"""Intake under hostile input: idempotence reveals nothing outside the client's scope, NUL bytes are refused
(PostgreSQL would fail on them), and the scope is checked before a body is parsed."""

import json

from ciqcredit.collection.tests.conftest import eciq_entry
from ciqcredit.conftest import SETUP
from ciqcredit.organizations.services import api_client_create


def post(client, url, body: str):
    return client.post(url, body, content_type="application/json")


def test_another_bureaus_key_is_refused_without_revealing_its_record(world):
    sent = post(world.api(world.api_token), "/api/v1/intake/eciq", json.dumps({"records": [eciq_entry(world, 1)]}))
    assert sent.json()["created"] == 1
    _, beijing_token = api_client_create(
        name="eciq-110000", organization=world.bureau_b, scopes=["eciq_intake"], actor=SETUP
    )
    again = post(world.api(beijing_token), "/api/v1/intake/eciq", json.dumps({"records": [eciq_entry(world, 1)]}))
    assert again.status_code == 200
    body = again.json()
    assert body["records"] == [] and body["duplicates"] == 0
    assert [r["code"] for r in body["rejected"]] == ["key_in_use"]
    text = again.content.decode()
    record = sent.json()["records"][0]
    assert f'"id": {record["id"]}' not in text and f'"id":{record["id"]}' not in text
    assert "effective" not in text and eciq_entry(world, 1)["association_no"] not in text
    # The bureau's own client still gets its record back as a duplicate.
    own = post(world.api(world.api_token), "/api/v1/intake/eciq", json.dumps({"records": [eciq_entry(world, 1)]}))
    assert own.json()["duplicates"] == 1 and own.json()["records"][0]["id"] == record["id"]


def test_a_nul_byte_in_an_intake_id_is_a_422(world):
    body = json.dumps({"records": [eciq_entry(world, 1, eciq_id="ECIQ-\u0000-1")]})
    response = post(world.api(world.api_token), "/api/v1/intake/eciq", body)
    assert response.status_code == 422
    assert response.json()["code"] == "control_character"


def test_scope_is_checked_before_a_deeply_nested_body_is_parsed(world):
    nested = "[" * 100_000 + "]" * 100_000
    _, sync_token = api_client_create(
        name="ems-470000", organization=world.bureau_a, scopes=["enterprise_sync"], actor=SETUP
    )
    for url in ("/api/v1/intake/eciq", "/api/v1/intake/external", "/api/v1/intake/activity"):
        refused = post(world.api(sync_token), url, nested)
        assert refused.status_code == 403, (url, refused.content[:200])
        assert refused.json()["code"] == "missing_scope"
        parsed = post(world.api(world.api_token), url, nested)
        assert parsed.status_code == 400, (url, parsed.content[:200])
        assert parsed.json()["code"] in ("invalid_json", "bad_request")
