"""Who may do each step; outsiders get 404 (the case does not exist for them). The matrix is data."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.dynamic.services import (
    case_cancel,
    case_carry_out,
    dynamic_recheck,
    hq_batch_approve,
    notice_deliver,
)
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof
from ciqcredit.errors import DomainError


@pytest.fixture
def case(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    for day in (dt.date(2025, 12, 1), dt.date(2026, 1, 1)):
        fixture_record(ent, world.items["ordinary"], day, user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=None, actor=SETUP)
    return case


# (who, expected code) for recording a delivery of a case at branch 475200.
DELIVERY_MATRIX = [
    ("branch_a_user", "forbidden"),  # a collector of the branch cannot act on cases
    ("branch_a_reviewer", "forbidden"),
    ("bureau_b_user", "not_found"),  # credit officer of another bureau: the case does not exist for him
    ("enterprise_user", "not_found"),
    ("api_client", "forbidden"),  # a system sees its organization's cases but does not handle them
    ("hq_admin", "forbidden"),  # HQ approves batches; it does not handle cases
    ("bureau_a_user", None),  # credit officer of the parent bureau: allowed
]


@pytest.mark.parametrize(("who", "code"), DELIVERY_MATRIX)
def test_who_may_record_delivery(world, case, who, code):
    actor = Actor.of(getattr(world.cast, who))

    def deliver():
        notice_deliver(
            notice=case.notice,
            method="direct",
            delivered_on=dt.date(2026, 3, 2),
            recipient="王经理",
            proof_file=proof(),
            actor=actor,
        )

    if code is None:
        deliver()
        case.refresh_from_db()
        assert case.status == "carried_out"
    else:
        with pytest.raises(DomainError) as err:
            deliver()
        assert err.value.code == code
        case.refresh_from_db()
        assert case.status == "awaiting_notice" and not case.notice.delivered


@pytest.mark.parametrize(("who", "code"), [("branch_a_user", "forbidden"), ("bureau_b_user", "not_found")])
def test_outsiders_cannot_cancel_or_carry_out(world, case, who, code):
    actor = Actor.of(getattr(world.cast, who))
    for attempt in (
        lambda: case_cancel(case=case, reason="x", actor=actor),
        lambda: case_carry_out(case=case, actor=actor),
    ):
        with pytest.raises(DomainError) as err:
            attempt()
        assert err.value.code == code


def test_only_hq_admin_approves(world, case):
    from ciqcredit.dynamic.models import HqBatch

    batch = HqBatch.objects.create(
        number="470000-YB-202602", bureau=world.cast.bureau_a, month=dt.date(2026, 2, 1), submitted_at=case.opened_at
    )
    for who in ("bureau_a_user", "hq_rules", "branch_a_user"):
        with pytest.raises(DomainError) as err:
            hq_batch_approve(batch=batch, actor=Actor.of(getattr(world.cast, who)))
        assert err.value.code == "forbidden"
