"""§三(六) entry within 5 working days of discovery and verification, with the real 2017 calendar; review delays."""

import datetime as dt

from ciqcredit.actors import Actor
from ciqcredit.collection.selectors import overdue_by_department, queue_overdue
from ciqcredit.collection.services import record_confirm, record_create, record_submit
from ciqcredit.collection.tests.conftest import supervision_args

D = dt.date


def test_deadline_across_national_day_and_the_makeup_saturday(world, settings):
    settings.CIQCREDIT_TODAY = D(2017, 10, 12)
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(
            world,
            occurred_on=D(2017, 9, 27),
            discovered_on=D(2017, 9, 29),
            verified_on=D(2017, 9, 28),
        ),
    )
    assert record.deadline.start == D(2017, 9, 29)  # the later of discovery and verification
    assert record.deadline.due_on == D(2017, 10, 12) and not record.deadline.provisional
    assert (record.late_days, record.late) == (0, False)
    assert record.deadline.closed_on == D(2017, 10, 12)


def test_late_entry_is_accepted_and_marked_with_its_delay(world, settings):
    settings.CIQCREDIT_TODAY = D(2017, 10, 16)
    record = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(
            world,
            occurred_on=D(2017, 9, 27),
            discovered_on=D(2017, 9, 29),
            verified_on=D(2017, 9, 29),
        ),
    )
    assert record.status == "awaiting_confirmation"
    assert record.late_days == 2  # Fri 13, Mon 16


def test_overdue_drafts_and_reviews_show_in_queues_and_figures(world, settings):
    settings.CIQCREDIT_TODAY = D(2017, 10, 12)
    draft = record_create(
        actor=Actor.of(world.branch_a_user),
        **supervision_args(
            world,
            occurred_on=D(2017, 9, 27),
            discovered_on=D(2017, 9, 29),
            verified_on=D(2017, 9, 29),
        ),
    )
    waiting = record_create(
        actor=Actor.of(world.branch_a_user),
        submit=True,
        **supervision_args(
            world,
            act_ref="ACT-2",
            occurred_on=D(2017, 10, 10),
            discovered_on=D(2017, 10, 10),
            verified_on=D(2017, 10, 10),
        ),
    )
    assert waiting.review_deadline.due_on == D(2017, 10, 19)
    settings.CIQCREDIT_TODAY = D(2017, 10, 13)
    assert list(queue_overdue(world.branch_a_user)) == [draft]
    settings.CIQCREDIT_TODAY = D(2017, 10, 20)
    assert set(queue_overdue(world.branch_a_user)) == {draft, waiting}
    figures = overdue_by_department(world.bureau_a_user)
    assert figures == [
        {
            "organization__code": "475200",
            "organization__name": world.branch_a.name,
            "department__name": world.branch_a_user.department.name,
            "count": 2,
        }
    ]
    assert overdue_by_department(world.bureau_b_user) == []
    record_confirm(record=waiting, actor=Actor.of(world.branch_a_reviewer))
    waiting.refresh_from_db()
    assert waiting.review_late_days == 1
    record_submit(record=draft, actor=Actor.of(world.branch_a_user))
    assert draft.late_days == 6  # 13, 16, 17, 18, 19, 20 October


def test_api_and_export_show_the_deadline_as_recomputed(world):
    """Loading an official schedule moves the Deadline row; every reader follows it, not the stored copy."""
    import io

    from openpyxl import load_workbook

    from ciqcredit.collection.export import HEADER, records_xlsx
    from ciqcredit.collection.selectors import record_search
    from ciqcredit.workdays.models import Deadline

    record = record_create(actor=Actor.of(world.branch_a_user), **supervision_args(world))
    Deadline.objects.filter(pk=record.deadline_id).update(due_on=dt.date(2017, 10, 30))  # as a recompute would
    api = world.client_for(world.branch_a_user).get(f"/api/v1/records/{record.pk}").json()
    assert api["deadline"] == "2017-10-30"
    sheet = load_workbook(io.BytesIO(records_xlsx(record_search(world.branch_a_user)).read())).active
    rows = list(sheet.iter_rows(values_only=True))
    due_column = HEADER.index("采集期限")
    row = next(row for row in rows[1:] if row[0] == record.pk)
    assert row[due_column].date() == dt.date(2017, 10, 30)
