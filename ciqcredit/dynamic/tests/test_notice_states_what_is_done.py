"""The action carried out is the action the notice stated (issue 15, item 1): when the facts change between the
notice and its delivery, the case is re-decided and a new notice issued, the old one voided and kept, numbers
still gap-free; a notice's delivery carries out nothing but what it says."""

import datetime as dt

import pytest

from ciqcredit.audit.models import AuditEntry
from ciqcredit.dynamic.models import CaseStatus, Notice
from ciqcredit.dynamic.tests.fixtures import deliver, fixture_grade, proof, reach_downgrade
from ciqcredit.errors import DomainError
from ciqcredit.rating.models import ChangeFeedEntry, FeedKind
from ciqcredit.rating.services.grades import grade_on


def _case_without_grade(world):
    """Case 92 of the demo: 24 points while the enterprise has no grade yet."""
    return reach_downgrade(world, world.cast.enterprise, grade=None)


def test_grade_confirmed_after_the_notice_redecides_the_case_and_issues_a_new_notice(world):
    officer = world.cast.bureau_a_user
    case = _case_without_grade(world)
    first = case.notice
    assert first.content["from_grade"] == ""
    # The periodic result is confirmed after the notice was drafted: the enterprise is now A.
    fixture_grade(world.cast.enterprise, "A", on=dt.date(2026, 3, 3))
    world.on(dt.date(2026, 3, 5))
    with pytest.raises(DomainError) as err:
        deliver(first, officer, dt.date(2026, 3, 5))
    assert err.value.code == "notice_redrafted"
    first.refresh_from_db()
    assert first.voided_at is not None and not first.delivered and "A" in first.void_reason
    case.refresh_from_db()
    second = case.notice
    assert second.pk != first.pk and first.replaced_by_id == second.pk
    assert (first.serial, second.serial) == (1, 2)  # gap-free: the voided number is kept, not reused
    assert (case.from_grade, case.to_grade, case.controlled) == ("A", "B", True)
    assert "由A级降为B级" in second.content["intended_action"]
    assert case.status == CaseStatus.AWAITING_NOTICE
    assert grade_on(world.cast.enterprise, dt.date(2026, 3, 5)).grade == "A"  # nothing carried out
    assert AuditEntry.objects.filter(action="dynamic.notice.voided", target_id=str(first.pk)).exists()
    # The voided notice can never be delivered; the new one carries out exactly what it says.
    with pytest.raises(DomainError) as err:
        deliver(first, officer, dt.date(2026, 3, 5))
    assert err.value.code == "notice_voided"
    deliver(second, officer, dt.date(2026, 3, 5))
    case.refresh_from_db()
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 5))
    assert (case.status, now.grade, now.controlled) == (CaseStatus.CARRIED_OUT, "B", True)
    assert case.grade_change.notice_number == second.number
    assert "由A级降为B级" in case.grade_change.reason
    assert Notice.objects.filter(case=case).count() == 2
    # The grade change delivery carried out is in the change feed, as every grade change is.
    feed = ChangeFeedEntry.objects.filter(change=case.grade_change)
    assert {(e.kind, e.previous_grade, e.grade, e.effective_from) for e in feed} >= {
        (FeedKind.GRADE_CHANGED, "A", "B", dt.date(2026, 3, 5))
    }


def test_unchanged_facts_carry_out_what_the_notice_says(world):
    case = _case_without_grade(world)
    notice = case.notice
    deliver(notice, world.cast.bureau_a_user, dt.date(2026, 3, 2))
    case.refresh_from_db()
    now = grade_on(world.cast.enterprise, dt.date(2026, 3, 2))
    assert (now.grade, now.controlled) == (notice.content["to_grade"], notice.content["controlled"])
    assert notice.content["to_grade"] == "C" and "C级" in notice.content["intended_action"]
    assert Notice.objects.filter(case=case).count() == 1


def test_redecision_numbers_stay_consecutive_with_other_notices(world):
    from ciqcredit.testing import make_enterprise

    case = _case_without_grade(world)
    fixture_grade(world.cast.enterprise, "A", on=dt.date(2026, 3, 3))
    other = make_enterprise(2, world.cast.branch_a)
    reach_downgrade(world, other)
    world.on(dt.date(2026, 3, 5))
    with pytest.raises(DomainError):
        deliver(case.notice, world.cast.bureau_a_user, dt.date(2026, 3, 5))
    serials = sorted(Notice.objects.values_list("serial", flat=True))
    assert serials == [1, 2, 3]


def test_case_page_keeps_the_voided_notice(world):
    case = _case_without_grade(world)
    first = case.notice.number
    fixture_grade(world.cast.enterprise, "A", on=dt.date(2026, 3, 3))
    world.on(dt.date(2026, 3, 5))
    officer = world.cast.client_for(world.cast.bureau_a_user)
    response = officer.post(
        f"/dynamic/cases/{case.pk}/deliver/",
        {"method": "direct", "delivered_on": "2026-03-05", "recipient": "王经理", "proof_file": proof()},
        follow=True,
    )
    text = response.content.decode()
    assert "已重新拟制告知书" in text and "已作废的告知书" in text and first in text
