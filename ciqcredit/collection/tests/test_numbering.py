"""§三(七) generated numbers: format, daily serials per prefix and organization, the 1000th refused."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.collection.models import AssociationSerial, CreditRecord
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.errors import DomainError


def j_record(world, user=None):
    return record_create(
        actor=Actor.of(user or world.branch_a_user),
        **supervision_args(world, item_code="S01", association_no=""),
    )


def test_serials_count_per_prefix_organization_and_day(world, settings):
    assert [j_record(world).association_no for _ in range(3)] == [
        "J47520020171020001",
        "J47520020171020002",
        "J47520020171020003",
    ]
    w = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(world, route="external", item_code="W01", association_no=""),
    )
    assert w.association_no == "W47520020171020001"
    assert j_record(world, world.bureau_a_user).association_no == "J47000020171020001"
    settings.CIQCREDIT_TODAY = dt.date(2017, 10, 23)
    assert j_record(world).association_no == "J47520020171023001"


def test_the_1000th_of_a_day_is_refused_and_nothing_is_written(world):
    AssociationSerial.objects.create(prefix="J", organization=world.branch_a, day=dt.date(2017, 10, 20), last=998)
    assert j_record(world).association_no.endswith("999")
    with pytest.raises(DomainError) as exc:
        j_record(world)
    assert exc.value.code == "serial_exhausted" and exc.value.status == 409
    assert CreditRecord.objects.count() == 1
    assert AssociationSerial.objects.get(prefix="J").last == 999


def test_a_failed_save_gives_its_serial_back(world, monkeypatch):
    def fail(**kwargs):
        raise DomainError("boom", "期限服务失败")

    monkeypatch.setattr("ciqcredit.collection.services.entry_deadline_open", fail)
    with pytest.raises(DomainError):  # fails after the number was drawn, inside the same transaction
        j_record(world)
    monkeypatch.undo()
    assert not CreditRecord.objects.exists()
    assert j_record(world).association_no.endswith("001")
