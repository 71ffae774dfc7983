"""The issue 4 contract over HTTP, and who is refused: the permission matrix is data."""

import json

import pytest

from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.tests.conftest import eciq_entry

RECORD_KEYS = {
    "id",
    "credit_code",
    "item_code",
    "points",
    "status",
    "association_no",
    "act_ref",
    "route",
    "deadline",
    "late",
    "late_days",
    "superseded_by",
}


@pytest.fixture
def api_world(world):
    return world


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def record_body(world, **extra):
    body = {
        "credit_code": world.enterprise.credit_code,
        "item_code": "S04",
        "route": "supervision",
        "association_no": "4752002170001",
        "occurred_on": "2017-10-09",
        "discovered_on": "2017-10-10",
        "verified_on": "2017-10-11",
        "description": "单证不符",
    }
    body.update(extra)
    return body


def test_collect_confirm_and_read_through_the_api(api_world):
    w = api_world
    collector = w.client_for(w.branch_a_user)
    response = post(collector, "/api/v1/records", record_body(w))
    assert response.status_code == 201, response.content
    created = response.json()
    assert set(created) == RECORD_KEYS
    assert (
        created["status"],
        created["deadline"],
        created["late"],
        created["late_days"],
    ) == (
        "awaiting_confirmation",
        "2017-10-18",
        True,
        2,
    )
    reviewer = w.client_for(w.branch_a_reviewer)
    confirmed = post(reviewer, f"/api/v1/records/{created['id']}/confirm", {}).json()
    assert confirmed["status"] == "effective"
    listed = reviewer.get(
        "/api/v1/records",
        {"status": "effective", "credit_code": w.enterprise.credit_code},
    ).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == created["id"]
    corrected = post(
        reviewer,
        f"/api/v1/records/{created['id']}/correct",
        {"reason": "条目有误", "item_code": "S03"},
    ).json()
    assert corrected["item_code"] == "S03" and corrected["status"] == "effective"
    revoked = post(reviewer, f"/api/v1/records/{corrected['id']}/revoke", {"reason": "不属实"}).json()
    assert revoked["status"] == "revoked"


def test_errors_have_code_and_chinese_message(api_world):
    w = api_world
    response = post(w.client_for(w.branch_a_user), "/api/v1/records", record_body(w, description=""))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error" and "详情" in response.json()["message"]
    response = post(
        w.client_for(w.branch_a_user),
        "/api/v1/records",
        record_body(w, route="penalty", item_code="P01"),
    )
    assert (response.status_code, response.json()["code"]) == (403, "wrong_department")


def test_eciq_intake_contract(api_world):
    w = api_world
    client = w.api(w.api_token)
    body = {
        "records": [
            eciq_entry(w, 1),
            eciq_entry(w, 1),
            eciq_entry(w, 2, item_code="NOPE"),
        ]
    }
    response = post(client, "/api/v1/intake/eciq", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["created"], data["duplicates"]) == (1, 1)
    assert data["rejected"] == [
        {
            "index": 2,
            "code": "unknown_item",
            "message": data["rejected"][0]["message"],
            "field": "item_code",
        }
    ]
    assert data["records"][0]["eciq_id"] == "ECIQ-000001" and data["records"][0]["status"] == "effective"
    assert post(client, "/api/v1/intake/eciq", {"nope": 1}).status_code == 422
    bad_json = client.post("/api/v1/intake/eciq", "{", content_type="application/json")
    assert bad_json.json()["code"] == "invalid_json"


def test_external_intake_contract(api_world):
    w = api_world
    body = {
        "records": [
            {
                "external_ref": "X-1",
                "source": "海关",
                "credit_code": w.enterprise.credit_code,
                "item_code": "W01",
                "occurred_on": "2017-10-09",
                "discovered_on": "2017-10-10",
                "verified_on": "2017-10-11",
                "description": "外部门通报",
            }
        ]
    }
    data = post(w.api(w.api_token), "/api/v1/intake/external", body).json()
    assert data["created"] == 1 and data["records"][0]["association_no"].startswith("W475200")


# (who, method, url template, expected status)
MATRIX = [
    (None, "post", "/api/v1/intake/eciq", 401),
    (
        "staff_token_a",
        "post",
        "/api/v1/intake/eciq",
        403,
    ),  # a person's token lacks the system scope
    (None, "get", "/api/v1/records", 401),
    (None, "get", "/api/v1/records/{id}", 401),
    ("bureau_b_user", "get", "/api/v1/records/{id}", 404),
    ("bureau_b_user", "post", "/api/v1/records/{id}/confirm", 404),
    (
        "enterprise_user",
        "get",
        "/api/v1/records/{id}",
        404,
    ),  # not yet effective: not shown to the enterprise
    ("enterprise_user", "post", "/api/v1/records", 403),
    ("branch_a_user", "get", "/api/v1/records/{id}", 200),
    ("bureau_a_user", "get", "/api/v1/records/{id}", 200),
    ("hq_admin", "get", "/api/v1/records/{id}", 200),
    ("branch_a_user", "post", "/api/v1/records/{id}/confirm", 403),  # its own collector
    (
        "bureau_a_user",
        "post",
        "/api/v1/records/{id}/confirm",
        403,
    ),  # not the collecting organization
]


@pytest.mark.parametrize(("who", "method", "url", "expected"), MATRIX)
def test_permission_matrix(api_world, who, method, url, expected):
    w = api_world
    resp = post(w.client_for(w.branch_a_user), "/api/v1/records", record_body(w))
    record_id = resp.json()["id"]
    if who is None:
        client = w.api(None)
    elif who == "staff_token_a":
        client = w.api(w.staff_token_a)
    else:
        client = w.client_for(getattr(w, who))
    target = url.format(id=record_id)
    response = (
        client.get(target)
        if method == "get"
        else post(
            client,
            target,
            record_body(w) if "intake" not in target else {"records": []},
        )
    )
    assert response.status_code == expected, response.content
    assert CreditRecord.objects.get(pk=record_id).status == "awaiting_confirmation"


def test_openapi_documents_the_contract(api_world):
    schema = api_world.client_for(api_world.bureau_a_user).get("/api/v1/openapi.json").json()
    eciq = schema["paths"]["/api/v1/intake/eciq"]["post"]
    entry = eciq["requestBody"]["content"]["application/json"]["schema"]["properties"]["records"]["items"]
    assert {
        "eciq_id",
        "credit_code",
        "item_code",
        "stage",
        "association_no",
        "org_code",
        "occurred_on",
        "discovered_on",
        "verified_on",
        "description",
    } <= set(entry["properties"])
    assert "/api/v1/records/{record_id}/correct" in schema["paths"]
