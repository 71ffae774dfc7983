"""Notices have a delivery deadline from the rule set (issue 15, item 6; reference 10 working days): overdue
notices show in the to-dos and, as a count, wherever notice figures are shown."""

import datetime as dt

from ciqcredit.catalogue.models import RuleSetVersion
from ciqcredit.catalogue.selectors import cache_clear
from ciqcredit.dynamic.tests.fixtures import deliver, reach_downgrade
from ciqcredit.dynamic.workflow import STEP_DELIVERY


def _case(world):
    return reach_downgrade(world, world.cast.enterprise)


def test_delivery_deadline_is_ten_working_days_and_closes_on_delivery(world):
    case = _case(world)  # drafted Monday 2026-03-02
    step = case.step_deadlines.get(step=STEP_DELIVERY).deadline
    assert (step.start, step.due_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    assert case.notice.content["delivery"] == {"days": 10, "unit": "working", "reference_value": False}
    deliver(case.notice, world.cast.bureau_a_user, dt.date(2026, 3, 2))
    step.refresh_from_db()
    assert step.closed_on == dt.date(2026, 3, 2)


def test_overdue_notice_shows_in_todos_and_counts(world):
    case = _case(world)
    officer = world.cast.client_for(world.cast.bureau_a_user)
    world.on(dt.date(2026, 3, 16))
    todo = officer.get("/records/queue/").content.decode()
    assert case.notice.number in todo and "逾期未送达" not in todo
    world.on(dt.date(2026, 3, 17))
    todo = officer.get("/records/queue/").content.decode()
    assert "其中逾期未送达 1 份" in todo and "逾期未送达" in todo
    cases = officer.get("/dynamic/").content.decode()
    assert "逾期未送达的书面告知书 1 份" in cases


def test_a_rule_set_without_the_parameter_takes_the_reference_value_and_says_so(world):
    version = RuleSetVersion.objects.get(number=1)
    params = dict(version.params)
    del params["notice_delivery"]
    RuleSetVersion.objects.filter(pk=version.pk).update(params=params)
    cache_clear()
    case = _case(world)
    assert case.notice.content["delivery"] == {"days": 10, "unit": "working", "reference_value": True}
    assert case.step_deadlines.get(step=STEP_DELIVERY).deadline.due_on == dt.date(2026, 3, 16)
