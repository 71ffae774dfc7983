"""Which database a read goes to when a replica is configured (ciqcredit/replica.py). The real replica is
exercised by scripts/replica_check.sh; here the routing rules, with the replica's presence and lag stubbed at
the module's two seams (no database needed: these are the decisions, not the connections)."""

import pytest
from django.db import connections

from ciqcredit import replica
from ciqcredit.replica import ReplicaRouter, from_replica, read_alias, replica_reads


@pytest.fixture
def configured(monkeypatch, settings):
    settings.CIQCREDIT_REPLICA_MAX_LAG = 1.0
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "_checked", {"at": -1.0, "lag": 0.0})
    lag = {"now": 0.2}
    monkeypatch.setattr(replica, "replica_lag", lambda: lag["now"])
    return lag


def test_only_marked_reads_go_to_the_replica(configured):
    assert read_alias() == "default"
    with replica_reads():
        assert read_alias() == "replica"
        assert ReplicaRouter().db_for_read(None) == "replica"
        assert ReplicaRouter().db_for_write(None) == "default"
    assert read_alias() == "default"
    assert from_replica(read_alias)() == "replica"


def test_a_transaction_on_the_primary_reads_its_own_writes(configured, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica_reads():
        assert read_alias() == "default"


def test_a_lagging_or_unreachable_replica_is_left_until_it_catches_up(configured, monkeypatch):
    clock = {"now": 100.0}
    monkeypatch.setattr(replica.time, "monotonic", lambda: clock["now"])
    configured["now"] = 1.5  # more than the one second the decisions tolerate
    with replica_reads():
        assert read_alias() == "default"
        configured["now"] = 0.0
        assert read_alias() == "default"  # lag is read at most once a second
        clock["now"] += 1.0
        assert read_alias() == "replica"
        configured["now"] = None  # unreachable
        clock["now"] += 1.0
        assert read_alias() == "default"


def test_without_a_replica_everything_reads_the_primary(settings):
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert read_alias() == "default"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "rating") is False
    assert ReplicaRouter().allow_migrate("default", "rating") is True
