"""§三(三): agent and consignee both recorded; the record counts only for the responsible one; unknown subjects."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord, Exclusion
from ciqcredit.collection.services import exclusion_create, record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError
from ciqcredit.testing import credit_code_for


def test_agent_responsible(world):
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(
            world,
            agent_credit_code=world.agent.credit_code,
            responsible_credit_code=world.agent.credit_code,
        ),
    )
    assert record.enterprise == world.agent
    assert (record.other_party, record.other_party_role) == (
        world.enterprise,
        "consignee",
    )
    assert not CreditRecord.objects.filter(enterprise=world.enterprise).exists()


def test_consignee_responsible(world):
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(
            world,
            agent_credit_code=world.agent.credit_code,
            responsible_credit_code=world.enterprise.credit_code,
        ),
    )
    assert record.enterprise == world.enterprise
    assert (record.other_party, record.other_party_role) == (world.agent, "agent")


def test_both_involved_needs_the_authority_s_decision(world):
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, agent_credit_code=world.agent.credit_code),
        )
    assert exc.value.code == "responsible_required"
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(
                world,
                agent_credit_code=world.agent.credit_code,
                responsible_credit_code=credit_code_for(99),
            ),
        )
    assert exc.value.code == "responsible_not_involved"


def test_unregistered_subject_must_be_registered_first(world):
    with pytest.raises(DomainError) as exc:
        record_create(
            actor=Actor.of(world.branch_a_user),
            **supervision_args(world, credit_code=credit_code_for(77)),
        )
    assert exc.value.code == "enterprise_not_registered"
    assert "不适合纳入" in exc.value.message
    assert not CreditRecord.objects.exists()


def test_not_suitable_for_inclusion_is_kept_for_supervision(world):
    exclusion = exclusion_create(
        actor=Actor.of(world.branch_a_user),
        subject_name="“远洋之星”号货轮",
        subject_identifier="IMO9300001",
        item_code="S01",
        reason="外籍船舶，不适合纳入",
    )
    assert exclusion.organization == world.branch_a and exclusion.decided_by == world.branch_a_user
    with pytest.raises(DomainError):
        exclusion_create(actor=Actor.of(world.branch_a_user), subject_name="某车辆", reason="")
    assert Exclusion.objects.count() == 1
