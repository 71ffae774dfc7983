"""The workflow of a tracking item (执行不到位事项), every step a transition row and an audit row.

open (the executing organization states cause and rectification) → answered (its bureau reviews: forwards
to the HQ department, 反馈, or returns) → forwarded (the HQ department owning the area acknowledges and
closes, or returns it to the organization) → closed. Each step sets the deadline of the next from the rule
set's tracking parameters (working days).
"""

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import Conflict, DomainError, Forbidden
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.rules.params import DayPeriod
from ciqcredit.tracking.models import ItemStatus, ItemTransition, TrackingItem
from ciqcredit.tracking.params import due, tracking_params


def _person(actor: Actor) -> User:
    if (
        actor.user is None
        or actor.user.is_system
        or not actor.user.has_role(Role.BUREAU_CREDIT, Role.HQ_RULES, Role.HQ_ADMIN)
    ):
        raise Forbidden("此操作仅限信用管理人员或总局业务司局人员办理")
    return actor.user


def _require_status(item: TrackingItem, *statuses: str) -> None:
    if item.status not in statuses:
        raise Conflict(
            "wrong_status", f"事项当前状态为“{item.get_status_display()}”，不能办理此操作", {"status": item.status}
        )


def _step(
    item: TrackingItem, *, to: str, reason: str, actor: Actor, action: str, fields: dict[str, str]
) -> TrackingItem:
    params = tracking_params(clock.today())
    periods: dict[str, DayPeriod] = {
        ItemStatus.OPEN: params.answer_deadline,
        ItemStatus.ANSWERED: params.forward_deadline,
        ItemStatus.FORWARDED: params.acknowledge_deadline,
    }
    old = {"status": item.status, "due_on": item.due_on, **{k: getattr(item, k) for k in fields}}
    before = item.status
    item.status = to
    if to in periods:
        item.due_on = due(clock.today(), periods[to])
    for name, value in fields.items():
        setattr(item, name, value)
    with transaction.atomic():
        item.save(update_fields=["status", "due_on", *fields])
        ItemTransition.objects.create(
            item=item,
            from_status=before,
            to_status=to,
            reason=reason,
            actor=actor.user,
            actor_label=actor.label,
            at=clock.now(),
            due_on=item.due_on if to != ItemStatus.CLOSED else None,
        )
        audit_log(
            actor=actor,
            action=action,
            target=item,
            old=old,
            new={"status": to, "due_on": item.due_on, **fields},
            organization_id=item.organization_id,
        )
    return item


def _text(value: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", f"请填写{label}", {"field": label}, status=422)
    return text


def item_answer(*, item: TrackingItem, cause: str, rectification: str, actor: Actor) -> TrackingItem:
    """The executing organization states the cause and the rectification."""
    user = _person(actor)
    if user.organization_id != item.organization_id:
        raise Forbidden("只有执行机构可以说明原因和整改措施")
    _require_status(item, ItemStatus.OPEN)
    fields = {"cause": _text(cause, "原因"), "rectification": _text(rectification, "整改措施")}
    return _step(
        item,
        to=ItemStatus.ANSWERED,
        reason=fields["cause"],
        actor=actor,
        action="tracking.item.answered",
        fields=fields,
    )


def _require_bureau(user: User, item: TrackingItem) -> None:
    org = user.organization
    if org.level != Level.BUREAU or not item.organization.path.startswith(org.path):
        raise Forbidden("只有执行机构所属直属局可以审核")


def item_forward(*, item: TrackingItem, note: str, actor: Actor) -> TrackingItem:
    """The bureau reviews the answer and forwards the item to the HQ department (反馈)."""
    user = _person(actor)
    _require_bureau(user, item)
    _require_status(item, ItemStatus.ANSWERED)
    note = (note or "").strip()
    return _step(
        item,
        to=ItemStatus.FORWARDED,
        reason=note,
        actor=actor,
        action="tracking.item.forwarded",
        fields={"review_note": note},
    )


def item_send_back(*, item: TrackingItem, note: str, actor: Actor) -> TrackingItem:
    """The bureau returns an answer to its organization; the HQ department returns a forwarded item."""
    user = _person(actor)
    if item.status == ItemStatus.ANSWERED:
        _require_bureau(user, item)
        field = "review_note"
    else:
        _require_department(user, item)
        _require_status(item, ItemStatus.FORWARDED)
        field = "hq_note"
    note = _text(note, "退回理由")
    return _step(
        item, to=ItemStatus.OPEN, reason=note, actor=actor, action="tracking.item.returned", fields={field: note}
    )


def _require_department(user: User, item: TrackingItem) -> None:
    if (
        user.organization.level != Level.HQ
        or not user.business_department
        or user.business_department != item.department
    ):
        raise Forbidden(f"只有主管业务司局（{item.department}）可以办理")


def item_close(*, item: TrackingItem, note: str, actor: Actor) -> TrackingItem:
    """The HQ department owning the area acknowledges the feedback and closes the item."""
    user = _person(actor)
    _require_department(user, item)
    _require_status(item, ItemStatus.FORWARDED)
    note = (note or "").strip()
    return _step(
        item, to=ItemStatus.CLOSED, reason=note, actor=actor, action="tracking.item.closed", fields={"hq_note": note}
    )
