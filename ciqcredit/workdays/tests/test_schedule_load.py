"""Loading a year's official schedule: validation, replacement, audit, and recomputing open deadlines."""

import datetime as dt
import json

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.errors import DomainError, Forbidden
from ciqcredit.workdays import calendar
from ciqcredit.workdays.models import CalendarDay, Deadline, ScheduleYear
from ciqcredit.workdays.services import deadline_close, deadline_open, schedule_load
from ciqcredit.workdays.tests.conftest import SETUP

D = dt.date.fromisoformat
# Test data in the official shape; not the real 2027 schedule (unpublished when this was written).
SCHEDULE_2027 = json.dumps(
    {
        "year": 2027,
        "holidays": [{"date": f"2027-01-0{d}", "name": "元旦"} for d in (1, 2, 3)],
        "makeup_workdays": [],
        "notes": "测试安排",
    }
).encode()


@pytest.fixture
def deadlines(seeded, cast):
    def open_one(start: str, days: int, unit: str = "working") -> Deadline:
        return deadline_open(
            kind="collection.entry",
            target=cast.enterprise,
            organization=cast.branch_a,
            start=D(start),
            days=days,
            unit=unit,
            actor=SETUP,
        )

    return open_one


def test_loading_2027_makes_dates_final_and_recomputes_open_provisional_deadlines(deadlines, cast):
    before = calendar.add_working_days(D("2026-12-25"), 5)
    assert (before.date, before.provisional) == (D("2027-01-01"), True)
    open_one = deadlines("2026-12-25", 5)
    closed_one = deadlines("2026-12-25", 5)
    deadline_close(deadline=closed_one, actor=SETUP, closed_on=D("2026-12-30"))
    final_one = deadlines("2026-12-01", 5)  # wholly in 2026: untouched
    calendar_one = deadlines("2026-12-25", 10, unit="calendar")

    loaded = schedule_load(year=2027, content=SCHEDULE_2027, filename="2027.json", actor=Actor.of(cast.hq_admin))

    assert loaded.recomputed == 1
    after = calendar.add_working_days(D("2026-12-25"), 5)
    assert (after.date, after.provisional) == (D("2027-01-04"), False)
    assert after.skipped_holidays == ["2027-01-01", "2027-01-02", "2027-01-03"]
    open_one.refresh_from_db()
    assert (open_one.due_on, open_one.provisional) == (D("2027-01-04"), False)
    for untouched in (closed_one, final_one, calendar_one):
        due_on, provisional = untouched.due_on, untouched.provisional
        untouched.refresh_from_db()
        assert (untouched.due_on, untouched.provisional) == (due_on, provisional)
    closed_one.refresh_from_db()
    assert closed_one.provisional  # left as it was when closed

    recomputed = AuditEntry.objects.get(action="workdays.deadline.recomputed")
    assert recomputed.target_id == str(open_one.pk) and recomputed.organization_id == cast.branch_a.pk
    assert recomputed.old == {"due_on": "2027-01-01", "provisional": True}
    assert recomputed.new == {"due_on": "2027-01-04", "provisional": False}
    assert recomputed.actor == cast.hq_admin

    schedule = ScheduleYear.objects.get(year=2027)
    assert (schedule.source, schedule.notes, schedule.loaded_by) == ("official", "测试安排", cast.hq_admin)
    loaded_audit = AuditEntry.objects.get(action="workdays.schedule.loaded")
    assert loaded_audit.old is None and loaded_audit.new["holidays"] == 3


def test_reloading_a_covered_year_recomputes_deadlines_it_touches(deadlines, cast):
    schedule_load(year=2027, content=SCHEDULE_2027, filename="2027.json", actor=Actor.of(cast.hq_admin))
    deadline = deadlines("2026-12-25", 5)
    assert (deadline.due_on, deadline.provisional) == (D("2027-01-04"), False)
    corrected = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦（补休）\n".encode()
    loaded = schedule_load(year=2027, content=corrected, filename="2027.csv", actor=Actor.of(cast.hq_admin))
    deadline.refresh_from_db()
    assert loaded.recomputed == 1 and deadline.due_on == D("2027-01-05")
    recomputed = AuditEntry.objects.get(action="workdays.deadline.recomputed")
    assert (recomputed.old["due_on"], recomputed.new["due_on"]) == ("2027-01-04", "2027-01-05")
    assert CalendarDay.objects.filter(schedule__year=2027).count() == 2
    assert AuditEntry.objects.filter(action="workdays.schedule.loaded").last().old["holidays"] == 3


def test_bad_file_changes_nothing_and_lists_every_error(deadlines, cast):
    deadline = deadlines("2026-12-25", 5)
    audits = AuditEntry.objects.count()
    bad = b"date,kind,name\n2027-01-01,holiday,\n2026-01-01,holiday,\n2027-01-01,workday,\n"
    with pytest.raises(DomainError) as exc:
        schedule_load(year=2027, content=bad, filename="2027.csv", actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "workdays.schedule.invalid"
    assert [e["line"] for e in exc.value.details["errors"]] == [3, 4]
    assert not ScheduleYear.objects.filter(year=2027).exists()
    assert AuditEntry.objects.count() == audits
    deadline.refresh_from_db()
    assert deadline.provisional and calendar.add_working_days(D("2026-12-25"), 5).provisional


def test_only_hq_administrators_and_console_jobs_may_load(seeded, cast):
    for user in (cast.bureau_a_user, cast.hq_rules, cast.enterprise_user, cast.api_client):
        with pytest.raises(Forbidden):
            schedule_load(year=2027, content=SCHEDULE_2027, filename="2027.json", actor=Actor.of(user))
    assert not ScheduleYear.objects.filter(year=2027).exists()
    schedule_load(year=2027, content=SCHEDULE_2027, filename="2027.json", actor=SETUP)
    assert ScheduleYear.objects.get(year=2027).loaded_by_label == "system:test"


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_out_of_range_is_refused(seeded, cast, year):
    with pytest.raises(DomainError) as exc:
        schedule_load(year=year, content=SCHEDULE_2027, filename="x.json", actor=Actor.of(cast.hq_admin))
    assert exc.value.code == "workdays.schedule.bad_year"
