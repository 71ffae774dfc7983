"""Files reach the disk only when their transaction commits: a rolled-back delivery leaves no proof behind."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import Notice
from ciqcredit.dynamic.services import dynamic_recheck, notice_deliver
from ciqcredit.dynamic.tests.fixtures import SETUP, fixture_grade, fixture_record, proof


def _awaiting_notice(world):
    ent = world.cast.enterprise
    fixture_grade(ent, "A")
    fixture_record(ent, world.items["ordinary"], dt.date(2025, 11, 3), user=world.cast.branch_a_user)
    record = fixture_record(ent, world.items["ordinary"], dt.date(2026, 2, 10), user=world.cast.branch_a_user)
    [case] = dynamic_recheck(enterprise=ent, trigger_record=record, actor=SETUP)
    return case


def _deliver(world, case):
    return notice_deliver(
        notice=case.notice,
        method="direct",
        delivered_on=dt.date(2026, 3, 2),
        recipient="王经理",
        proof_file=proof(),
        actor=Actor.of(world.cast.bureau_a_user),
    )


def _files(world) -> list[Path]:
    media = Path(world.settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_a_rolled_back_delivery_leaves_no_file(world, django_capture_on_commit_callbacks):
    case = _awaiting_notice(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _deliver(world, case)
            raise RuntimeError("a later step of the same transaction fails")
    assert _files(world) == []
    assert not Notice.objects.get(pk=case.notice.pk).proof_file


def test_a_committed_delivery_writes_the_file_it_names(world, django_capture_on_commit_callbacks):
    case = _awaiting_notice(world)
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(world, case)
    notice = Notice.objects.get(pk=case.notice.pk)
    assert _files(world) == [Path(world.settings.MEDIA_ROOT) / notice.proof_file.name]
    assert notice.proof_file.read() == b"%PDF-1.4 signed receipt"
