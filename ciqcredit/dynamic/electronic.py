"""Electronic delivery of written notices (电子送达, issue 13 item 2).

A case handler sends the current notice to the enterprise's account (as well as, or instead of, paper). From then
on the notice is delivered on the first of:
- the day a user of the enterprise opens it in the portal or through the API (recipient: that user), or
- the day the rule set's `notice_electronic_delivery` period after sending ends (deemed delivery).

The platform's rows are the proof: the notice keeps when it was sent, when and by whom it was first opened and
the deemed date; each step is audited (`dynamic.notice.sent_electronic`, `dynamic.notice.opened`,
`dynamic.notice.delivered` with method `electronic`). Paper delivery stays as it was; whichever is recorded first
is the delivery, and the other is kept as a fact (a notice opened after its paper delivery is only marked opened).

Deemed delivery runs as a daily job (`ciqcredit deliver_notices`, cron), not lazily on reading: a downgrade must be
carried out even if nobody looks. The delivery date is the deemed day itself, whenever the job runs, so a late run
changes nothing but the time it is recorded; opening a notice whose deemed day has passed delivers it on that day
too. What a delivery carries out is exactly what the notice states: when the facts on the delivery day give
another outcome, the notice is voided and a new one drafted (as for paper) and sent to the account at once.
"""

import datetime as dt

from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.dynamic.models import CaseStatus, DeliveryMethod, DynamicCase, Notice
from ciqcredit.dynamic.notices import _facts_changed, delivery_consequences, notice_redraft
from ciqcredit.dynamic.workflow import case_params, lock_case, require_case_handler, require_status
from ciqcredit.errors import Conflict, DomainError, NotFound
from ciqcredit.mail import mail_after_commit
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.models import User
from ciqcredit.organizations.people import enterprise_addresses
from ciqcredit.workdays.calendar import add_days

DELIVERY_JOB = Actor.job("electronic_delivery")
DEEMED_RECIPIENT = "视为送达（发送至企业账户期满）"


def _send(notice: Notice, case: DynamicCase, *, actor: Actor) -> None:
    period = case_params(case).notice_electronic_delivery
    today = clock.today()
    notice.sent_to_account_at = clock.now()
    notice.electronic_due_on = add_days(today, period.days, period.unit).date
    notice.save(update_fields=["sent_to_account_at", "electronic_due_on"])
    audit_log(
        actor=actor,
        action="dynamic.notice.sent_electronic",
        target=notice,
        organization_id=case.organization_id,
        old={"sent_to_account_at": None},
        new={"number": notice.number, "electronic_due_on": notice.electronic_due_on.isoformat()},
    )
    mail_after_commit(
        enterprise_addresses(case.enterprise_id),
        f"书面告知书{notice.number}待查阅",
        f"{case.organization.name}向贵单位发送了《企业信用管理书面告知书》（{notice.number}）。"
        f"请登录平台企业端查阅；自查阅之日起视为送达，未查阅的，{notice.electronic_due_on:%Y年%-m月%-d日}视为送达。",
    )


@transaction.atomic
def notice_send_electronic(*, notice: Notice, actor: Actor) -> Notice:
    """Send a notice waiting for delivery to the enterprise's account (the enterprise needs an active user)."""
    case = lock_case(notice.case)
    require_case_handler(actor, case)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.voided:
        raise Conflict("notice_voided", f"告知书{notice.number}已作废", {"number": notice.number})
    if notice.delivered:
        raise Conflict("notice_already_delivered", f"告知书{notice.number}已送达", {"number": notice.number})
    if notice.sent_to_account_at is not None:
        raise Conflict(
            "notice_already_sent",
            f"告知书{notice.number}已于{notice.sent_to_account_at:%Y-%m-%d}发送至企业账户",
            {"number": notice.number},
        )
    require_status(case, CaseStatus.AWAITING_NOTICE)
    if not User.objects.filter(enterprise_id=case.enterprise_id, is_active=True).exists():
        raise DomainError(
            "no_enterprise_account",
            f"{case.enterprise.name}尚无可用的企业端账号，不能电子送达，请书面送达或先为企业开设账号",
            {"enterprise": case.enterprise.credit_code},
            status=409,
        )
    _send(notice, case, actor=actor)
    return notice


def _deliver_electronic(
    case: DynamicCase, notice: Notice, *, on: dt.date, recipient: str, opened_by: User | None
) -> Notice:
    """Deliver on `on` (the case and notice locked, the notice sent and undelivered). Returns the notice the
    enterprise should now read: this one, or the one drafted in its place when the facts have changed."""
    reason = _facts_changed(case, notice, on)
    if reason:
        new = notice_redraft(case=case, on=on, reason=reason, actor=DELIVERY_JOB)
        _send(new, case, actor=DELIVERY_JOB)
        return new
    notice.delivery_method = DeliveryMethod.ELECTRONIC
    notice.delivered_on = on
    notice.recipient = recipient
    notice.delivery_recorded_at = clock.now()
    notice.save(update_fields=["delivery_method", "delivered_on", "recipient", "delivery_recorded_at"])
    audit_log(
        actor=DELIVERY_JOB,
        action="dynamic.notice.delivered",
        target=notice,
        organization_id=case.organization_id,
        old={"delivered_on": None},
        new={
            "method": DeliveryMethod.ELECTRONIC,
            "delivered_on": on.isoformat(),
            "recipient": recipient,
            "opened_by": opened_by.username if opened_by is not None else None,
            "sent_to_account_at": notice.sent_to_account_at.isoformat() if notice.sent_to_account_at else None,
        },
    )
    delivery_consequences(case, notice, delivered_on=on, actor=DELIVERY_JOB)
    return notice


@transaction.atomic
def notice_open(*, notice: Notice, actor: Actor) -> Notice:
    """An enterprise user opens a notice sent to their account: the first opening is recorded (audited) and, if
    the notice is not yet delivered, delivers it (on its deemed day if that has passed). Returns the notice to
    show (a new one when the facts changed before delivery)."""
    user = person_of(actor)
    if not user.is_enterprise_user or notice.case.enterprise_id != user.enterprise_id:
        raise NotFound("书面告知书")
    if notice.sent_to_account_at is None and not notice.delivered:
        raise NotFound("书面告知书")
    case = lock_case(notice.case)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.opened_at is None:
        notice.opened_at, notice.opened_by = clock.now(), user
        notice.save(update_fields=["opened_at", "opened_by"])
        audit_log(
            actor=actor,
            action="dynamic.notice.opened",
            target=notice,
            organization_id=case.organization_id,
            old={"opened_at": None},
            new={"number": notice.number, "opened_at": notice.opened_at.isoformat()},
        )
    if notice.voided or notice.delivered or notice.sent_to_account_at is None:
        return notice
    if case.status != CaseStatus.AWAITING_NOTICE:
        return notice
    today = clock.today()
    due = notice.electronic_due_on
    if due is not None and due < today:
        return _deliver_electronic(case, notice, on=due, recipient=DEEMED_RECIPIENT, opened_by=None)
    return _deliver_electronic(case, notice, on=today, recipient=_recipient(user), opened_by=user)


def _recipient(user: User) -> str:
    return f"企业账户查阅：{user.full_name or user.username}"


def notices_due_for_deemed_delivery(on: dt.date) -> list[int]:
    return list(
        Notice.objects.filter(
            sent_to_account_at__isnull=False,
            delivered_on__isnull=True,
            voided_at__isnull=True,
            electronic_due_on__lte=on,
        )
        .order_by("electronic_due_on", "id")
        .values_list("id", flat=True)
    )


def notices_deliver_due(*, on: dt.date | None = None) -> list[Notice]:
    """The daily job: deliver every notice sent to an account whose deemed day has come (idempotent; each notice
    is claimed under a row lock and re-checked, so two runs never deliver one twice)."""
    on = on or clock.today()
    delivered = []
    for pk in notices_due_for_deemed_delivery(on):
        with transaction.atomic():
            case = lock_case(Notice.objects.select_related("case").get(pk=pk).case)  # the case first, as everywhere
            notice = Notice.objects.select_for_update().get(pk=pk)
            if notice.delivered or notice.voided or notice.electronic_due_on is None:
                continue
            if case.status != CaseStatus.AWAITING_NOTICE:
                continue
            delivered.append(
                _deliver_electronic(
                    case, notice, on=notice.electronic_due_on, recipient=DEEMED_RECIPIENT, opened_by=None
                )
            )
    return delivered
