"""PUT /api/v1/enterprises/{credit_code}: the enterprise management system's sync contract."""

import json

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import contract_row, other_char
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import api_client_create
from ciqcredit.testing import credit_code_for


def put(client, code: str, body: dict):
    return client.put(f"/api/v1/enterprises/{code}", data=json.dumps(body), content_type="application/json")


def body(n: int, **changes) -> dict:
    row = contract_row(n, **changes)
    del row["credit_code"]
    return row


def test_create_update_unchanged(cast):
    client = cast.api(cast.api_token)
    code = credit_code_for(600)

    created = put(client, code, body(600, org="475200"))
    updated = put(client, code, body(600, org="475200", status="cancelled"))
    audits = AuditEntry.objects.count()
    unchanged = put(client, code, {**body(600, org="475200", status="cancelled"), "credit_code": code})

    assert created.status_code == 201 and created.json()["result"] == "created"
    enterprise = created.json()["enterprise"]
    assert enterprise["credit_code"] == code and enterprise["registering_org"] == "475200"
    assert enterprise["types"] == ["importer", "exporter"] and enterprise["registered_on"] == "2016-03-01"
    assert enterprise["id"] == Enterprise.objects.get(credit_code=code).id
    assert updated.status_code == 200 and updated.json()["result"] == "updated"
    assert updated.json()["enterprise"]["status"] == "cancelled"
    entry = AuditEntry.objects.filter(action="enterprises.enterprise.updated").latest("id")
    assert (entry.old, entry.new, entry.actor) == ({"status": "active"}, {"status": "cancelled"}, cast.api_client)
    assert unchanged.status_code == 200 and unchanged.json()["result"] == "unchanged"
    assert AuditEntry.objects.count() == audits


def test_bad_check_character_lists_every_field_error(cast):
    code = credit_code_for(601)
    wrong = code[:17] + other_char(code[17])

    response = put(cast.api(cast.api_token), wrong, body(601, name="", registering_org="999999"))

    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "validation_error" and data["message"]
    assert [(e["field"], e["code"]) for e in data["details"]["errors"]] == [
        ("credit_code", "bad_check_character"),
        ("name", "missing_name"),
        ("registering_org", "unknown_org_code"),
    ]
    assert not Enterprise.objects.filter(credit_code__in=[code, wrong]).exists()


def test_body_code_must_match_path(cast):
    response = put(cast.api(cast.api_token), credit_code_for(602), {**body(602), "credit_code": credit_code_for(603)})

    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["code"] == "credit_code_mismatch"


def test_who_may_put(cast):
    code = credit_code_for(604)
    reader, reader_token = api_client_create(
        name="sharing", organization=cast.bureau_a, scopes=[Scope.SHARING_READ], actor=Actor.of(cast.hq_admin)
    )

    assert put(cast.api(None), code, body(604)).status_code == 401
    no_scope = put(cast.api(reader_token), code, body(604))
    assert no_scope.status_code == 403 and no_scope.json()["code"] == "missing_scope"
    assert put(cast.api(cast.staff_token_a), code, body(604)).status_code == 403  # bureau staff: not the sync client
    assert put(cast.client_for(cast.enterprise_user), code, body(604)).status_code == 403
    assert not Enterprise.objects.filter(credit_code=code).exists()
    assert put(cast.client_for(cast.hq_admin), code, body(604, org="110000")).status_code == 201


def test_out_of_scope(cast):
    client = cast.api(cast.api_token)  # the sync client of bureau A

    elsewhere = put(client, credit_code_for(605), body(605, org="110000"))
    b_code = credit_code_for(606)
    put(cast.client_for(cast.hq_admin), b_code, body(606, org="110000"))
    taken = put(client, b_code, body(606, org="470000"))

    assert elsewhere.status_code == 403 and elsewhere.json()["code"] == "out_of_scope"
    assert taken.status_code == 404 and taken.json()["code"] == "not_found"
    assert Enterprise.objects.get(credit_code=b_code).registering_org.code == "110000"
