"""Who may collect what through each route (§三(五)), with the database: refusals write nothing."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError, Forbidden


def test_penalty_by_the_case_closing_department_with_the_penalty_number(world):
    record = record_create(
        actor=Actor.of(world.case_collector),
        submit=True,
        **supervision_args(world, route="penalty", item_code="P01", association_no="深检罚〔2017〕15号"),
    )
    assert record.association_no == "深检罚〔2017〕15号" and not record.association_generated
    assert record.penalised and record.serious and record.points == 12


@pytest.mark.parametrize("who", ["branch_a_user", "inspection_collector", "branch_a_reviewer"])
def test_penalty_refused_outside_the_case_closing_department(world, who):
    with pytest.raises(Forbidden) as exc:
        record_create(
            actor=Actor.of(getattr(world, who)),
            **supervision_args(world, route="penalty", item_code="P01"),
        )
    assert exc.value.code in {"wrong_department", "not_collector"}
    assert not CreditRecord.objects.exists()


def test_penalty_items_only_through_the_penalty_route(world):
    with pytest.raises(DomainError) as exc:
        record_create(actor=Actor.of(world.case_collector), **supervision_args(world, item_code="P01"))
    assert exc.value.details["errors"][0]["code"] == "item_wrong_route"


def test_supervision_by_the_discovering_department_gets_a_j_number(world):
    record = record_create(
        actor=Actor.of(world.inspection_collector),
        **supervision_args(world, item_code="S01", association_no=""),
    )
    assert record.association_no == "J47520020171020001" and record.association_generated
    assert record.department.kind == "inspection"
    assert record.act_ref == record.association_no


def test_supervision_keeps_a_typed_declaration_number(world):
    record = record_create(
        actor=Actor.of(world.inspection_collector),
        **supervision_args(world, item_code="S01", association_no="4752002170009"),
    )
    assert record.association_no == "4752002170009" and not record.association_generated


def test_external_by_the_first_receiving_department_gets_a_w_number(world):
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(world, route="external", item_code="W01", association_no=""),
    )
    assert record.association_no == "W47520020171020001"


def test_eciq_route_is_for_the_intake_api_only(world):
    with pytest.raises(Forbidden) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, route="eciq", item_code="E01"),
        )
    assert exc.value.code == "route_automatic"


def test_automatic_items_cannot_be_entered_by_hand(world):
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, route="manual", item_code="E01"),
        )
    assert exc.value.details["errors"][0]["code"] == "item_automatic"


def test_item_must_apply_to_the_enterprise_type(world):
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, item_code="V01", association_no=""),
        )
    assert exc.value.details["errors"][0]["code"] == "item_not_applicable"


def test_unknown_item_and_outsiders(world):
    with pytest.raises(DomainError) as exc:
        record_create(actor=Actor.of(world.branch_a_user), **supervision_args(world, item_code="NOPE"))
    assert exc.value.code == "unknown_item"
    for outsider in (world.enterprise_user, world.api_client, world.hq_rules):
        with pytest.raises(Forbidden):
            record_create(actor=Actor.of(outsider), **supervision_args(world))


def test_declarant_number_required_when_declarant_is_responsible(world):
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            submit=True,
            **supervision_args(world, item_code="S02"),
        )
    assert exc.value.details["errors"][0]["code"] == "missing_declarant_no"
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(world, item_code="S02", declarant_no="4700123456"),
    )
    assert record.declarant_responsible and record.declarant_no == "4700123456"
