"""§三(四) one act, one item in the database: supersede links, transitions on both, revocation reinstates."""

from ciqcredit.actors import Actor
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_confirm, record_create, record_revoke
from ciqcredit.collection.tests.conftest import supervision_args


def collect(world, item_code, **extra):
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(world, **{"item_code": item_code, "act_ref": "ACT-1", **extra}),
    )
    record_confirm(record=record, actor=Actor.of(world.branch_a_reviewer))
    record.refresh_from_db()
    return record


def test_a_higher_scoring_later_record_replaces_the_earlier(world):
    low = collect(world, "S04")  # 3 points
    high = collect(world, "S03")  # 6 points
    low.refresh_from_db()
    assert (low.status, low.superseded_by) == ("superseded", high)
    assert high.status == "effective"
    assert low.transitions.last().to_status == "superseded" and "一次采集" in low.transitions.last().reason
    assert high.transitions.last().to_status == "effective"


def test_a_lower_or_equal_later_record_is_superseded_at_once(world):
    first = collect(world, "S04")  # 3
    equal = collect(world, "S01", association_no="")  # 3, J number
    lower = collect(world, "S02", declarant_no="4700001")  # 1
    assert (equal.status, equal.superseded_by) == ("superseded", first)
    assert (lower.status, lower.superseded_by) == ("superseded", first)
    assert CreditRecord.objects.filter(status="effective").get() == first


def test_other_acts_and_other_enterprises_are_independent(world):
    a = collect(world, "S04")
    b = collect(world, "S04", act_ref="ACT-2")
    c = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(
            world,
            item_code="S04",
            act_ref="ACT-1",
            agent_credit_code=world.agent.credit_code,
            responsible_credit_code=world.agent.credit_code,
        ),
    )
    record_confirm(record=c, actor=Actor.of(world.branch_a_reviewer))
    assert {r.status for r in (a, b, c)} == {"effective"}


def test_revoking_the_winner_reinstates_the_best_superseded_record(world):
    low = collect(world, "S04")  # 3
    high = collect(world, "S03")  # 6
    record_revoke(record=high, reason="经复核不属实", actor=Actor.of(world.branch_a_reviewer))
    low.refresh_from_db()
    assert low.status == "effective" and low.superseded_by is None
    assert [t.to_status for t in low.transitions.all()][-2:] == [
        "superseded",
        "effective",
    ]
