"""The rules of a release decision, through the API as e-CIQ calls it (issue: §五(一), decisions)."""

import datetime as dt
from decimal import Decimal

from ciqcredit.application.models import Decision, DecisionParty
from ciqcredit.application.tests.conftest import party, set_grade
from ciqcredit.testing import credit_code_for


def test_mixed_grades_the_lowest_governs(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "C")
    body = world.decide({"declaration_no": "470100226000001", "parties": [party(a), party(b, "agent")]}).json()
    assert body["governing_grade"] == "C"
    assert Decimal(body["sampling_rate"]) == Decimal("0.6")
    assert body["document_review"] == "full"
    # A facilitation only when every party qualifies: A has green channel, C has not.
    assert (body["green_channel"], body["paperless"], body["priority"]) == (False, False, False)
    assert [p["grade"] for p in body["parties"]] == ["A", "C"]
    assert {m["code"] for m in body["measures"]} == {"A-DR-01", "C-DR-01"}
    assert body["measure_list_version"] == 1


def test_facilitation_when_every_party_qualifies(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "AA", cause="aa_batch")
    set_grade(b, "A")
    body = world.decide({"declaration_no": "D-FAC-1", "parties": [party(a), party(b, "consignor")]}).json()
    assert body["governing_grade"] == "A"
    assert Decimal(body["sampling_rate"]) == Decimal("0.1")
    assert (body["green_channel"], body["paperless"]) == (True, True)
    assert body["priority"] is False  # only AA is given priority
    alone = world.decide({"declaration_no": "D-FAC-2", "parties": [party(a)]}).json()
    assert (alone["governing_grade"], alone["priority"], alone["document_review"]) == ("AA", True, "waived")


def test_controlled_party_adds_the_control_measures(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "B", controlled=True, cause="dynamic_downgrade")
    body = world.decide({"declaration_no": "D-CT-1", "parties": [party(a), party(b)]}).json()
    assert body["controlled"] is True
    assert body["governing_grade"] == "B"
    assert Decimal(body["sampling_rate"]) == 1 and body["inspect"] is True
    assert "CT-DR-01" in {m["code"] for m in body["measures"]}
    assert [p["controlled"] for p in body["parties"]] == [False, True]


def test_serious_list_party_governs_as_d(world):
    a, b = world.enterprises[1], world.enterprises[2]
    set_grade(a, "A")
    set_grade(b, "C")
    set_grade(b, "D", on=dt.date(2026, 1, 5), cause="listing", controlled=True)
    # After the listing, a later change that is not a removal leaves the enterprise listed: it still governs as D.
    set_grade(b, "C", on=dt.date(2026, 2, 1), cause="adjustment")
    body = world.decide({"declaration_no": "D-SL-1", "parties": [party(a), party(b)]}).json()
    assert body["governing_grade"] == "D"
    assert body["parties"][1] == {
        "credit_code": b.credit_code,
        "role": "consignee",
        "registered": True,
        "grade": "D",
        "controlled": False,
        "serious_listed": True,
        "partner_lists": [],
    }
    assert Decimal(body["sampling_rate"]) == 1
    set_grade(b, "C", on=dt.date(2026, 2, 20), cause="removal")
    after = world.decide({"declaration_no": "D-SL-2", "parties": [party(b)]}).json()
    assert (after["governing_grade"], after["parties"][0]["serious_listed"]) == ("C", False)


def test_unregistered_party_is_not_an_error(world):
    a = world.enterprises[1]
    set_grade(a, "AA", cause="aa_batch")
    unknown = credit_code_for(987654)
    response = world.decide({"declaration_no": "D-UR-1", "parties": [party(a), party(unknown, "consignor")]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["parties"][1] == {
        "credit_code": unknown,
        "role": "consignor",
        "registered": False,
        "grade": None,
        "controlled": False,
        "serious_listed": False,
        "partner_lists": [],
    }
    assert body["governing_grade"] == "AA"  # the unknown party adds its measures but has no grade
    assert "UR-DR-01" in {m["code"] for m in body["measures"]}
    assert Decimal(body["sampling_rate"]) == Decimal("0.3") and body["green_channel"] is False
    only = world.decide({"declaration_no": "D-UR-2", "parties": [party(unknown)]}).json()
    assert only["governing_grade"] is None and Decimal(only["sampling_rate"]) == Decimal("0.3")
    kept = DecisionParty.objects.get(decision_id=only["decision_id"])
    assert kept.enterprise_id is None and kept.credit_code == unknown


def test_malformed_input_is_a_422_in_the_one_error_format(world):
    bad_code = world.decide({"declaration_no": "D-BAD", "parties": [party("91440300ABCDEFGHI1")]})
    assert bad_code.status_code == 422
    body = bad_code.json()
    assert body["code"] == "validation_error" and body["details"]["errors"][0]["field"] == "parties.0.credit_code"
    assert "统一社会信用代码" in body["details"]["errors"][0]["message"]
    for payload in (
        {"declaration_no": "D", "parties": []},
        {"declaration_no": "", "parties": [party(world.enterprises[0])]},
        {"declaration_no": "D", "parties": [party(world.enterprises[0], "captain")]},
        {"declaration_no": "D", "area": "tax", "parties": [party(world.enterprises[0])]},
        {"declaration_no": "D", "parties": [party(world.enterprises[0])], "on": "2026-13-01"},
    ):
        response = world.decide(payload)
        assert response.status_code == 422, payload
        assert response.json()["code"] == "validation_error"
    assert not Decision.objects.exists()


def test_every_decision_is_kept_with_inputs_answer_versions_time_and_client(world):
    a = world.enterprises[1]
    set_grade(a, "B")
    payload = {"declaration_no": "D-KEEP-1", "parties": [party(a)], "on": "2026-02-27", "org_code": "475200"}
    body = world.decide(payload).json()
    kept = Decision.objects.get(pk=body["decision_id"])
    assert kept.request == {**payload, "area": "declaration_release"}
    assert (kept.on, kept.organization.code, kept.client_id) == (dt.date(2026, 2, 27), "475200", world.client.pk)
    assert (kept.governing_grade, kept.inspect, kept.measure_list_version) == ("B", body["inspect"], 1)
    assert kept.decided_at is not None
    listed = world.api().get("/api/v1/decisions", {"declaration_no": "D-KEEP-1"}).json()
    assert [d["decision_id"] for d in listed] == [kept.pk]
    assert listed[0]["request"] == kept.request and listed[0]["org_code"] == "475200"


def test_an_office_outside_the_clients_scope_is_refused(world, cast):
    from ciqcredit.application.tests.conftest import SYSTEM
    from ciqcredit.organizations.services import api_client_create

    _, bureau_b_token = api_client_create(
        name="eciq-110000", organization=cast.bureau_b, scopes=["eciq_decision"], actor=SYSTEM
    )
    response = world.decide(
        {"declaration_no": "D-ORG", "parties": [party(world.enterprises[0])], "org_code": "475200"}, bureau_b_token
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Decision.objects.exists()
