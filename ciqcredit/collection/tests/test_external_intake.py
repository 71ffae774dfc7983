"""Other regulators' information lands at the first receiving department, else the registering organization."""

from ciqcredit.actors import Actor
from ciqcredit.collection.intake import external_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.selectors import queue_to_confirm
from ciqcredit.collection.services import record_confirm


def entry(world, ref, **extra):
    values = {
        "external_ref": ref,
        "source": "深圳市市场监督管理局",
        "credit_code": world.enterprise.credit_code,
        "item_code": "W01",
        "occurred_on": "2017-10-09",
        "discovered_on": "2017-10-10",
        "verified_on": "2017-10-11",
        "description": "产品质量抽检不合格通报",
    }
    values.update(extra)
    return values


def test_lands_at_the_registering_organization_when_no_receiving_department(world):
    result = external_intake(entries=[entry(world, "SZMS-2017-001")], actor=Actor.of(world.api_client))
    record = CreditRecord.objects.get(pk=result.records[0]["id"])
    assert record.organization == world.branch_a and record.department is None
    assert record.association_no == "W47520020171020001" == result.records[0]["association_no"]
    assert record.status == "awaiting_confirmation"
    assert queue_to_confirm(world.branch_a_reviewer).get() == record
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    assert record.status == "effective"


def test_lands_at_the_first_receiving_department(world):
    result = external_intake(
        entries=[entry(world, "SZMS-2017-002", org_code="470000", department="business")],
        actor=Actor.of(world.api_client),
    )
    record = CreditRecord.objects.get(pk=result.records[0]["id"])
    assert (record.organization, record.department.kind) == (world.bureau_a, "business")
    assert record.association_no.startswith("W470000")


def test_idempotent_per_external_reference_and_checked(world):
    external_intake(entries=[entry(world, "R1")], actor=Actor.of(world.api_client))
    again = external_intake(
        entries=[
            entry(world, "R1"),
            entry(world, "R2", item_code="S01"),
            entry(world, "R3", org_code="110000"),
        ],
        actor=Actor.of(world.api_client),
    )
    assert (again.created, again.duplicates) == (0, 1)
    assert [r["code"] for r in again.rejected] == ["item_wrong_route", "out_of_scope"]


def test_a_partner_regulator_s_client_sends_to_any_office(world):
    """A partner (an organization outside the hierarchy) sends like HQ's clients: to any receiving office."""
    from ciqcredit.organizations.models import Organization
    from ciqcredit.organizations.services import api_client_create

    court = Organization.objects.create(code="900001", name="最高人民法院", level="partner", path="partner/900001/")
    client, _ = api_client_create(
        name="court-exchange", organization=court, scopes=["external_intake"], actor=Actor.job("test")
    )
    result = external_intake(
        entries=[entry(world, "FY-1"), entry(world, "FY-2", org_code="110000")], actor=Actor.of(client)
    )
    assert (result.created, result.rejected) == (2, [])
