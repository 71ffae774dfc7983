"""One act across association numbers (issue 15, item 5; guide §三(四)): two items for one act recorded under
their own numbers are linked to one act, by the collector or by an intake message's `act_ref`, and the one-act
rule then keeps only the highest-scoring item, on every path (confirmation, linking, intake, bulk load)."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.records_load import records_bulk_load
from ciqcredit.collection.services import record_confirm, record_create, record_link_act
from ciqcredit.collection.tests.conftest import D, eciq_entry, supervision_args
from ciqcredit.errors import DomainError


def _effective(world, item_code: str, association_no: str = "", **extra) -> CreditRecord:
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(world, item_code=item_code, association_no=association_no, **extra),
    )
    record_confirm(record=record, actor=Actor.of(world.declaration_reviewer))
    record.refresh_from_db()
    return record


def _counted(world) -> list[tuple[str, int]]:
    return sorted(
        CreditRecord.objects.filter(enterprise=world.enterprise, status="effective").values_list("item_code", "points")
    )


def test_two_numbers_count_twice_until_linked_then_the_highest_is_kept(world):
    j_record = _effective(world, "S01")  # J number generated, 3 points
    declared = _effective(world, "S03", association_no="470100217000999000")  # 6 points
    assert j_record.association_no.startswith("J") and _counted(world) == [("S01", 3), ("S03", 6)]
    record_link_act(record=j_record, act_of=declared, actor=Actor.of(world.branch_a_user))
    j_record.refresh_from_db()
    assert (j_record.status, j_record.superseded_by_id, j_record.act_ref) == (
        "superseded",
        declared.pk,
        declared.act_ref,
    )
    assert _counted(world) == [("S03", 6)]


def test_linking_the_higher_item_replaces_the_current_one(world):
    j_record = _effective(world, "S01")
    declared = _effective(world, "S03", association_no="470100217000999000")
    record_link_act(record=declared, act_of=j_record, actor=Actor.of(world.bureau_a_user))
    j_record.refresh_from_db()
    assert (j_record.status, j_record.superseded_by_id) == ("superseded", declared.pk)
    assert _counted(world) == [("S03", 6)]


def test_only_records_of_the_same_enterprise_and_by_people_who_may(world):
    j_record = _effective(world, "S01")
    other = _effective(world, "S03", association_no="470100217000999000", credit_code=world.agent.credit_code)
    with pytest.raises(DomainError) as err:
        record_link_act(record=j_record, act_of=other, actor=Actor.of(world.branch_a_user))
    assert err.value.code == "other_enterprise"
    declared = _effective(world, "S03", association_no="470100217000888000")
    with pytest.raises(DomainError) as err:
        record_link_act(record=j_record, act_of=declared, actor=Actor.of(world.bureau_b_user))
    assert err.value.status in (403, 404)


def test_collector_names_the_act_by_the_other_records_number(world):
    declared = _effective(world, "S03", association_no="470100217000999000")
    j_record = _effective(world, "S01", act_ref=declared.association_no)
    assert j_record.act_ref == declared.act_ref and j_record.status == "superseded"
    assert _counted(world) == [("S03", 6)]


def test_intake_message_links_by_act_ref(world):
    j_record = _effective(world, "S01", occurred_on=D(2017, 10, 9))
    entries = [
        eciq_entry(world, 1, item_code="E04", stage="inspection", act_ref=j_record.association_no),
        eciq_entry(world, 2, act_ref="J475200201701019999"),
    ]
    result = eciq_intake(entries=entries, actor=Actor.of(world.api_client))
    assert [r["code"] for r in result.rejected] == ["unknown_act"]
    j_record.refresh_from_db()
    arrived = CreditRecord.objects.get(eciq_id="ECIQ-000001")
    assert (arrived.act_ref, arrived.status, j_record.status) == (j_record.act_ref, "effective", "superseded")
    assert _counted(world) == [("E04", 6)]


def test_bulk_load_links_by_act_ref(world):
    j_record = _effective(world, "S01")
    result = records_bulk_load(
        entries=[eciq_entry(world, 1, item_code="E01", act_ref=j_record.association_no)],
        actor=Actor.of(world.api_client),
    )
    assert (result.created, result.rejected) == (1, [])
    arrived = CreditRecord.objects.get(eciq_id="ECIQ-000001")
    assert (arrived.act_ref, arrived.status, arrived.superseded_by_id) == (j_record.act_ref, "superseded", j_record.pk)
    assert _counted(world) == [("S01", 3)]


def test_record_page_suggests_the_same_enterprise_and_date_and_links(world):
    j_record = _effective(world, "S01")
    declared = _effective(world, "S03", association_no="470100217000999000")
    elsewhere = _effective(world, "S03", association_no="470100217000777000", occurred_on=D(2017, 10, 2))
    client = world.client_for(world.branch_a_user)
    page = client.get(f"/records/{j_record.pk}/").content.decode()
    assert "可能属于同一失信行为" in page and declared.association_no in page
    assert elsewhere.association_no not in page  # another date
    response = client.post(f"/records/{j_record.pk}/link/", {"act_of": declared.pk})
    assert response.status_code == 302
    j_record.refresh_from_db()
    assert j_record.status == "superseded" and _counted(world) == [("S03", 6), ("S03", 6)]


def test_api_links_and_refuses_outsiders(world):
    j_record = _effective(world, "S01")
    declared = _effective(world, "S03", association_no="470100217000999000")
    outsider = world.client_for(world.bureau_b_user)
    url = f"/api/v1/records/{j_record.pk}/link"
    refused = outsider.post(url, {"act_of": declared.pk}, content_type="application/json")
    assert refused.status_code == 404
    linked = world.client_for(world.bureau_a_user).post(url, {"act_of": declared.pk}, content_type="application/json")
    assert (linked.status_code, linked.json()["status"], linked.json()["act_ref"]) == (
        200,
        "superseded",
        declared.act_ref,
    )


def test_linking_is_a_version_of_the_record(world):
    j_record = _effective(world, "S01")
    declared = _effective(world, "S03", association_no="470100217000999000")
    record_link_act(record=j_record, act_of=declared, actor=Actor.of(world.branch_a_user))
    page = world.client_for(world.branch_a_user).get(f"/records/{j_record.pk}/").content.decode()
    versions = page.split('id="versions"')[1].split("</section>")[0]
    assert "第2版" in versions and declared.act_ref in versions
