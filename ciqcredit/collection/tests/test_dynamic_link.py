"""Collection tells dynamic management when a record starts or stops counting, in the same transaction, through
the signals of ciqcredit/collection/signals.py (connected in DynamicConfig.ready())."""

import pytest
from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.collection import signals
from ciqcredit.collection.intake import eciq_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.services import record_correct, record_revoke
from ciqcredit.collection.tests.conftest import eciq_entry
from ciqcredit.dynamic.models import DynamicCase


def _reach_24_points(world) -> list[CreditRecord]:
    """Four 6-point e-CIQ nonconformities of four acts: the immediate-downgrade threshold of the rule set."""
    entries = [eciq_entry(world, n, item_code="E04", stage="inspection") for n in range(1, 5)]
    result = eciq_intake(entries=entries, actor=Actor.of(world.api_client))
    assert not result.rejected
    return list(CreditRecord.objects.filter(status="effective").order_by("id"))


def test_reaching_the_threshold_opens_one_case_awaiting_notice(world):
    records = _reach_24_points(world)
    assert sum(r.points for r in records) == 24
    cases = DynamicCase.objects.filter(enterprise=world.enterprise)
    assert [(c.kind, c.status) for c in cases] == [("downgrade", "awaiting_notice")]


def test_revoking_a_counted_record_cancels_the_case(world):
    records = _reach_24_points(world)
    record_revoke(record=records[0], reason="经复核不构成失信行为", actor=Actor.of(world.bureau_a_user))
    case = DynamicCase.objects.get(enterprise=world.enterprise)
    assert case.status == "cancelled"
    assert not DynamicCase.objects.filter(enterprise=world.enterprise).exclude(status="cancelled").exists()


def test_correcting_a_record_cancels_and_rechecks(world):
    records = _reach_24_points(world)
    record_correct(
        record=records[0], changes={"description": "更正描述"}, reason="描述有误", actor=Actor.of(world.bureau_a_user)
    )
    statuses = sorted(DynamicCase.objects.filter(enterprise=world.enterprise).values_list("status", flat=True))
    # The first case rested on the corrected record; the correction still counts 6 points, so a new case opens.
    assert statuses == ["awaiting_notice", "cancelled"]


def test_my_queue_lists_notices_to_deliver_for_credit_officers(world):
    _reach_24_points(world)
    case = DynamicCase.objects.get(enterprise=world.enterprise)
    officer_queue = world.client_for(world.bureau_a_user).get("/records/queue/").content.decode()
    assert "待送达的书面告知" in officer_queue and case.notice.number in officer_queue
    assert f"/dynamic/cases/{case.pk}/" in officer_queue
    collector_queue = world.client_for(world.branch_a_user).get("/records/queue/").content.decode()
    assert case.notice.number not in collector_queue  # collectors do not deliver notices


def test_bulk_load_rechecks_the_enterprises_that_reach_a_threshold(world):
    from ciqcredit.collection.records_load import records_bulk_load

    entries = [eciq_entry(world, n, item_code="E04", stage="inspection") for n in range(1, 5)]
    entries.append(eciq_entry(world, 9, item_code="E01", credit_code=world.agent.credit_code))  # 1 point: no case
    result = records_bulk_load(entries=entries, actor=Actor.of(world.api_client))
    assert (result.created, result.rejected) == (5, [])
    opened = DynamicCase.objects.values_list("enterprise__credit_code", "kind")
    assert list(opened) == [(world.enterprise.credit_code, "downgrade")]


def test_bulk_load_outscoring_an_effective_record_supersedes_it_with_an_audit_row(world):
    from ciqcredit.audit.models import AuditEntry
    from ciqcredit.collection.records_load import records_bulk_load

    eciq_intake(entries=[eciq_entry(world, 1, item_code="E01")], actor=Actor.of(world.api_client))
    earlier = CreditRecord.objects.get(eciq_id="ECIQ-000001")
    same_act = eciq_entry(world, 2, item_code="E04", stage="inspection", association_no=earlier.association_no)
    records_bulk_load(entries=[same_act], actor=Actor.of(world.api_client))
    earlier.refresh_from_db()
    winner = CreditRecord.objects.get(eciq_id="ECIQ-000002")
    assert (earlier.status, earlier.superseded_by, winner.status) == ("superseded", winner, "effective")
    row = AuditEntry.objects.get(action="collection.record.superseded", target_id=str(earlier.pk))
    assert row.new["superseded_by"] == winner.pk


def test_dynamic_reacts_inside_the_record_transaction(world):
    """A rollback of the change that made the records effective takes dynamic management's case with it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        _reach_24_points(world)
        assert DynamicCase.objects.filter(enterprise=world.enterprise).count() == 1
        raise RuntimeError("the surrounding change fails")
    assert not CreditRecord.objects.exists()
    assert not DynamicCase.objects.exists()


@pytest.fixture
def heard():
    """What collection's signals said, and whether each arrived inside a transaction."""
    events: list[tuple[str, int, bool]] = []

    def listener(name):
        def receive(sender, *, record, actor, **kwargs):
            events.append((name, record.pk, transaction.get_connection().in_atomic_block))

        return receive

    receivers = {
        signals.record_became_effective: listener("effective"),
        signals.record_withdrawn: listener("withdrawn"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, weak=False)
    yield events
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def test_collection_signals_a_record_that_starts_and_stops_counting(world, heard):
    records = _reach_24_points(world)
    assert [(name, pk) for name, pk, _ in heard] == [("effective", r.pk) for r in records]
    heard.clear()
    record_revoke(record=records[0], reason="经复核不构成失信行为", actor=Actor.of(world.bureau_a_user))
    assert [(name, pk) for name, pk, _ in heard] == [("withdrawn", records[0].pk)]
    assert all(inside for _, _, inside in heard)


def test_a_bulk_load_signals_once_with_every_changed_enterprise(world):
    from ciqcredit.collection.records_load import records_bulk_load

    loads = []

    def receive(sender, *, records, actor, on, **kwargs):
        loads.append(sorted(records))

    signals.records_became_effective.connect(receive, weak=False)
    try:
        entries = [eciq_entry(world, n, item_code="E01") for n in range(1, 3)]
        entries.append(eciq_entry(world, 9, item_code="E01", credit_code=world.agent.credit_code))
        records_bulk_load(entries=entries, actor=Actor.of(world.api_client))
    finally:
        signals.records_became_effective.disconnect(receive)
    assert loads == [sorted([world.enterprise.pk, world.agent.pk])]
