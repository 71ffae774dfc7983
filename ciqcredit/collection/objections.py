"""Objections (异议, issue 13): an enterprise contests one of its effective records; the collecting organization
reviews it.

- Filing: by a user of the enterprise the record is charged to, within the rule set's `objection.window` from the
  day the record became effective (visible to the enterprise), with reasons and evidence files; one pending
  objection per record. The review is due within `objection.review` of filing (a tracked deadline).
- Review: by a reviewer or credit officer of the collecting organization or above (the same people who may revoke
  or correct the record). Upheld, the record is revoked or corrected through `record_revoke` / `record_correct`,
  in the same transaction, so every effect resting on it is undone through the record signals; rejected, the
  answer gives the reason.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.collection.choices import RecordStatus
from ciqcredit.collection.deadlines import deadline_finish, params_of
from ciqcredit.collection.models import CreditRecord, Objection, ObjectionFile, ObjectionOutcome, ObjectionStatus
from ciqcredit.collection.recording import lock_record
from ciqcredit.collection.review import _require_manager, record_correct, record_revoke
from ciqcredit.collection.rules import REVIEWER_ROLES
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.files import evidence_name, file_attach
from ciqcredit.mail import mail_after_commit
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.models import User
from ciqcredit.organizations.people import enterprise_addresses, staff_addresses
from ciqcredit.organizations.roles import Level

DEADLINE_OBJECTION = "collection.objection"
MAX_FILES = 10


def _params(on: dt.date):
    from ciqcredit.catalogue.selectors import ruleset_on

    return params_of(ruleset_on(on), on)


def objection_window(record: CreditRecord) -> tuple[dt.date, dt.date] | None:
    """(visible from, last day to object) of an effective record; None when it is not open to objection."""
    if record.status != RecordStatus.EFFECTIVE or record.effective_at is None:
        return None
    from ciqcredit.workdays.calendar import add_days

    visible = timezone.localdate(record.effective_at)
    window = _params(visible).objection.window
    return visible, add_days(visible, window.days, window.unit).date


def _check_reasons(reasons: str) -> str:
    text = (reasons or "").strip()
    if not text:
        raise DomainError("required", "请填写异议理由", {"field": "reasons"}, status=422)
    if len(text) > 5000:
        raise DomainError("too_long", "异议理由不能超过5000字", {"field": "reasons"}, status=422)
    return text


def objection_file(*, record: CreditRecord, reasons: str, files: Sequence[Any] = (), actor: Actor) -> Objection:
    """An enterprise user objects to a record charged to their enterprise (others: 404)."""
    from ciqcredit.workdays.services import deadline_open

    user = person_of(actor)
    if not user.is_enterprise_user or record.enterprise_id != user.enterprise_id:
        raise NotFound("信用信息")
    text = _check_reasons(reasons)
    if len(files) > MAX_FILES:
        raise DomainError("too_many_files", f"证据文件最多{MAX_FILES}个", {"field": "files"}, status=422)
    names = [evidence_name(f, field="files") for f in files]
    today = clock.today()
    with transaction.atomic():
        lock_record(record)
        window = objection_window(record)
        if window is None:
            raise Conflict(
                "not_objectionable",
                f"该信用信息当前为“{RecordStatus(record.status).label}”，只能对生效的信息提出异议",
                {"status": record.status},
            )
        if today > window[1]:
            raise Conflict(
                "objection_period_over",
                f"提出异议的期限已于{window[1]:%Y年%-m月%-d日}届满（信息自{window[0]:%Y年%-m月%-d日}起可见），不能再提出异议",
                {"due_on": window[1].isoformat(), "visible_on": window[0].isoformat()},
            )
        if Objection.objects.filter(record=record, status=ObjectionStatus.PENDING).exists():
            raise Conflict("objection_pending", "该信息已有待复核的异议，请等待复核结果", {})
        review = _params(today).objection.review
        objection = Objection.objects.create(
            record=record,
            enterprise_id=record.enterprise_id,
            organization_id=record.organization_id,
            reasons=text,
            filed_at=clock.now(),
            filed_on=today,
            filed_by=user,
            due_on=today,
        )
        deadline = deadline_open(
            kind=DEADLINE_OBJECTION,
            target=objection,
            organization=record.organization,
            start=today,
            days=review.days,
            unit=review.unit,
            actor=actor,
        )
        objection.review_deadline, objection.due_on = deadline, deadline.due_on
        objection.save(update_fields=["review_deadline", "due_on"])
        for name, upload in zip(names, files, strict=True):
            row = ObjectionFile(objection=objection, name=name, uploaded_at=objection.filed_at)
            file_attach(row.file, name[-150:], upload)
            row.save(force_insert=True)
        audit_log(
            actor=actor,
            action="collection.objection.filed",
            target=objection,
            organization_id=record.organization_id,
            new={
                "record": record.association_no,
                "reasons": text,
                "files": names,
                "due_on": objection.due_on.isoformat(),
            },
        )
        mail_after_commit(
            staff_addresses(record.organization, REVIEWER_ROLES),
            f"{record.enterprise.name}对信用信息提出异议",
            f"{record.enterprise.name}对信用信息{record.association_no}提出异议，请于"
            f"{objection.due_on:%Y年%-m月%-d日}前复核。",
        )
    return objection


def _lock_pending(objection: Objection, user: User) -> Objection:
    locked = Objection.objects.select_for_update().select_related("record__organization").get(pk=objection.pk)
    _require_manager(user, locked.record)
    if locked.status != ObjectionStatus.PENDING:
        raise Conflict("objection_decided", f"该异议已复核（{locked.get_status_display()}）", {"status": locked.status})
    return locked


def _decide(objection: Objection, *, status: str, answer: str, outcome: str, actor: Actor, user: User) -> None:
    today = clock.today()
    objection.status, objection.answer, objection.outcome = status, answer, outcome
    objection.decided_on, objection.decided_at, objection.decided_by = today, clock.now(), user
    objection.save(
        update_fields=["status", "answer", "outcome", "correction", "decided_on", "decided_at", "decided_by"]
    )
    if objection.review_deadline is not None and objection.review_deadline.closed_at is None:
        deadline_finish(deadline=objection.review_deadline, done_on=today, actor=actor)
    audit_log(
        actor=actor,
        action=f"collection.objection.{status}",
        target=objection,
        organization_id=objection.organization_id,
        old={"status": ObjectionStatus.PENDING},
        new={"status": status, "answer": answer, "outcome": outcome, "correction": objection.correction_id},
    )
    mail_after_commit(
        enterprise_addresses(objection.enterprise_id),
        f"异议复核结果：{ObjectionStatus(status).label}",
        f"贵单位对信用信息{objection.record.association_no}提出的异议已复核：{ObjectionStatus(status).label}。"
        f"复核意见：{answer}。详情请登录平台企业端查看。",
    )


def objection_uphold(
    *, objection: Objection, answer: str, actor: Actor, corrections: Mapping[str, Any] | None = None
) -> Objection:
    """The objection holds: the record is revoked, or corrected with `corrections` (a correction of the record's
    correctable fields), through the record services, in this transaction."""
    user = person_of(actor)
    text = (answer or "").strip()
    if not text:
        raise DomainError("required", "请填写复核意见", {"field": "answer"}, status=422)
    with transaction.atomic():
        objection = _lock_pending(objection, user)
        reason = f"企业异议成立：{text}"
        if corrections:
            objection.correction = record_correct(
                record=objection.record, changes=corrections, reason=reason, actor=actor
            )
            outcome = ObjectionOutcome.CORRECTED
        else:
            record_revoke(record=objection.record, reason=reason, actor=actor)
            outcome = ObjectionOutcome.REVOKED
        _decide(objection, status=ObjectionStatus.UPHELD, answer=text, outcome=outcome, actor=actor, user=user)
    return objection


def objection_reject(*, objection: Objection, answer: str, actor: Actor) -> Objection:
    """The objection does not hold: the record stays; the answer gives the reason."""
    user = person_of(actor)
    text = (answer or "").strip()
    if not text:
        raise DomainError("required", "请填写不成立的理由", {"field": "answer"}, status=422)
    with transaction.atomic():
        objection = _lock_pending(objection, user)
        _decide(objection, status=ObjectionStatus.REJECTED, answer=text, outcome="", actor=actor, user=user)
    return objection


# Reads.


def objections_visible_to(user: User) -> QuerySet[Objection]:
    """Staff: objections to records collected in their subtree. Enterprise users: their enterprise's own."""
    qs = Objection.objects.select_related("record__item", "enterprise", "organization", "review_deadline")
    if user.is_enterprise_user:
        return qs.filter(enterprise_id=user.enterprise_id)  # type: ignore[misc]  # django-stubs refuse None, which Django reads as IS NULL
    if user.is_system or not user.is_active or not user.roles:
        return qs.none()
    if user.organization.level == Level.HQ:
        return qs
    return qs.filter(organization__path__startswith=user.organization.path)


def objection_get_for_user(user: User, pk: int) -> Objection:
    found = objections_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("异议")
    return found


def objections_to_review(user: User) -> QuerySet[Objection]:
    """The pending objections a reviewer or credit officer of the collecting organization (or above) answers."""
    if user.is_enterprise_user or not user.has_role(*REVIEWER_ROLES):
        return Objection.objects.none()
    return objections_visible_to(user).filter(status=ObjectionStatus.PENDING).order_by("due_on", "id")


def objection_rows(user: User, limit: int) -> list[dict[str, Any]]:
    """The queue page's objections to review, each with whether it is overdue or due within three working days."""
    from ciqcredit.workdays.calendar import due_soon

    today = clock.today()
    return [
        {"objection": o, "overdue": o.due_on < today, "due_soon": due_soon(o.due_on, today)}
        for o in objections_to_review(user)[:limit]
    ]
