"""Tracked deadlines: opened with a computed due date, closed once, audited, scoped by organization."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.workdays.selectors import deadline_get_for_user, deadlines_for, deadlines_visible_to
from ciqcredit.workdays.services import deadline_close, deadline_open, deadlines_recompute_provisional
from ciqcredit.workdays.tests.conftest import SETUP

D = dt.date.fromisoformat


def open_entry(cast, start="2017-09-29", days=5, unit="working", kind="collection.entry"):
    return deadline_open(
        kind=kind, target=cast.enterprise, organization=cast.branch_a, start=D(start), days=days, unit=unit, actor=SETUP
    )


def test_open_computes_the_due_date_and_audits(seeded, cast):
    deadline = open_entry(cast)
    assert (deadline.due_on, deadline.provisional, deadline.is_open) == (D("2017-10-12"), False, True)
    assert (deadline.target_type, deadline.target_id) == ("enterprises.enterprise", str(cast.enterprise.pk))
    entry = AuditEntry.objects.get(action="workdays.deadline.opened")
    assert entry.organization_id == cast.branch_a.pk
    assert entry.new == {
        "kind": "collection.entry",
        "start": "2017-09-29",
        "days": 5,
        "unit": "working",
        "due_on": "2017-10-12",
        "provisional": False,
    }
    assert list(deadlines_for(cast.enterprise)) == [deadline]


def test_close_records_the_day_and_lateness_once(seeded, cast):
    deadline = open_entry(cast)
    deadline_close(deadline=deadline, actor=Actor.of(cast.branch_a_user), closed_on=D("2017-10-16"))
    deadline.refresh_from_db()
    assert deadline.closed_on == D("2017-10-16") and deadline.closed_at is not None and deadline.met is False
    entry = AuditEntry.objects.get(action="workdays.deadline.closed")
    assert entry.new == {"closed_on": "2017-10-16", "met": False, "late_working_days": 2}
    with pytest.raises(Conflict):
        deadline_close(deadline=deadline, actor=Actor.of(cast.branch_a_user))


def test_bad_input_is_refused(seeded, cast):
    for kind in ("Collection Entry", "collection", ""):
        with pytest.raises(DomainError) as exc:
            open_entry(cast, kind=kind)
        assert exc.value.code == "workdays.deadline.bad_kind"
    with pytest.raises(DomainError) as exc:
        open_entry(cast, days=-1)
    assert exc.value.code == "workdays.negative_days"
    deadline = open_entry(cast)
    with pytest.raises(DomainError) as exc:
        deadline_close(deadline=deadline, actor=SETUP, closed_on=D("2017-09-01"))
    assert exc.value.code == "workdays.deadline.closed_before_start"


def test_recompute_without_a_new_schedule_changes_nothing(seeded, cast):
    open_entry(cast, start="2026-12-25")
    assert deadlines_recompute_provisional(actor=SETUP) == 0
    assert not AuditEntry.objects.filter(action="workdays.deadline.recomputed").exists()


def test_deadlines_are_seen_only_within_the_organization_subtree(seeded, cast):
    deadline = open_entry(cast)
    for user in (cast.hq_admin, cast.bureau_a_user, cast.branch_a_user):
        assert deadline_get_for_user(user, deadline.pk) == deadline
    assert not deadlines_visible_to(cast.bureau_b_user).exists()
    with pytest.raises(NotFound):
        deadline_get_for_user(cast.bureau_b_user, deadline.pk)
