"""The item's workflow: the branch answers, the bureau forwards (or returns), the HQ department owning the area
closes (or returns); roles, deadlines, transition rows and audit rows."""

import datetime as dt

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.collection.queue import queue_sections
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.tracking.models import ItemStatus, TrackingItem
from ciqcredit.tracking.selectors import item_get_for_user, items_visible_to
from ciqcredit.tracking.services import item_answer, item_close, item_forward, item_send_back


def _to_dos(user) -> list:
    sections = queue_sections(user, 10)["sections"]
    return [row for s in sections if s["template"] == "tracking/_queue.html" for row in s["items"]]


def _answer(track, item):
    return item_answer(
        item=item,
        cause="抽中未查验：系统切换期间人工放行",
        rectification="恢复抽批校验并培训",
        actor=Actor.of(track.branch_credit),
    )


def test_branch_answers_bureau_forwards_department_closes(track, item):
    _answer(track, item)
    assert (item.status, item.due_on) == (ItemStatus.ANSWERED, dt.date(2026, 3, 23))  # 5 working days
    item_forward(item=item, note="情况属实，整改到位", actor=Actor.of(track.cast.bureau_a_user))
    assert (item.status, item.due_on) == (ItemStatus.FORWARDED, dt.date(2026, 3, 30))  # 10 working days
    item_close(item=item, note="已知悉", actor=Actor.of(track.hq_customs))
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.hq_note == "已知悉"
    steps = list(item.transitions.values_list("from_status", "to_status", "actor_label"))
    assert steps == [
        ("", "open", "system:tracking-check"),
        ("open", "answered", "a_branch_credit"),
        ("answered", "forwarded", "a_credit"),
        ("forwarded", "closed", "hq_customs"),
    ]
    actions = list(
        AuditEntry.objects.filter(target_type="tracking.trackingitem").order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "tracking.item.raised",
        "tracking.item.answered",
        "tracking.item.forwarded",
        "tracking.item.closed",
    ]


def test_a_branch_cannot_close_or_forward_its_own_item(track, item):
    _answer(track, item)
    with pytest.raises(Forbidden):
        item_forward(item=item, note="", actor=Actor.of(track.branch_credit))
    item_forward(item=item, note="", actor=Actor.of(track.cast.bureau_a_user))
    for who in (track.branch_credit, track.cast.bureau_a_user, track.hq_inspection):
        with pytest.raises(Forbidden):
            item_close(item=item, note="", actor=Actor.of(who))
    assert TrackingItem.objects.get().status == ItemStatus.FORWARDED


def test_only_the_executing_organization_answers(track, item):
    with pytest.raises(Forbidden):
        item_answer(item=item, cause="x", rectification="y", actor=Actor.of(track.cast.bureau_a_user))


def test_returns_go_back_to_the_organization_with_a_new_deadline(track, item):
    _answer(track, item)
    item_send_back(item=item, note="原因说明不充分", actor=Actor.of(track.cast.bureau_a_user))
    assert item.status == ItemStatus.OPEN and item.review_note == "原因说明不充分"
    _answer(track, item)
    item_forward(item=item, note="", actor=Actor.of(track.cast.bureau_a_user))
    item_send_back(item=item, note="请补充整改时限", actor=Actor.of(track.hq_customs))
    assert (item.status, item.hq_note, item.due_on) == (ItemStatus.OPEN, "请补充整改时限", dt.date(2026, 3, 30))
    assert item.transitions.filter(to_status="open", from_status="forwarded").get().reason == "请补充整改时限"


def test_a_department_sees_only_its_area_and_bureaus_only_their_subtree(track, item):
    assert item_get_for_user(track.hq_customs, item.pk) == item
    assert item_get_for_user(track.cast.bureau_a_user, item.pk) == item
    assert item_get_for_user(track.cast.hq_admin, item.pk) == item
    for outsider in (track.hq_inspection, track.cast.bureau_b_user, track.cast.enterprise_user, track.cast.api_client):
        with pytest.raises(NotFound):
            item_get_for_user(outsider, item.pk)
    assert not items_visible_to(track.hq_inspection).exists()


def test_overdue_steps_appear_first_in_my_to_dos(track, item, settings):
    assert _to_dos(track.branch_credit) == [(item, False)]
    assert _to_dos(track.cast.bureau_a_user) == []  # nothing to forward yet
    settings.CIQCREDIT_TODAY = dt.date(2026, 4, 1)  # past the answer deadline of 30 March
    assert _to_dos(track.branch_credit) == [(item, True)]
