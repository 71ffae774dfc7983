"""Deadline reminders by e-mail (issue 13 item 9): what falls due within three working days.

The to-do lists (the portal's home, the staff queue page) show the same items at every visit; this daily job
(`ciqcredit notify_deadlines`, cron) adds one e-mail per deadline to those with an address set:
- the enterprise: a defence period it may still use, a notice sent to its account and not yet opened;
- the office: a defence to answer (its credit officers), an objection to review (the collecting organization's
  reviewers and credit officers).
Each reminder is claimed as a `Reminder` row (unique key) in the transaction that queues its mail, so two runs, or
a run repeated the same day, never send it twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ciqcredit import clock
from ciqcredit.collection.models import Objection, ObjectionStatus
from ciqcredit.collection.rules import REVIEWER_ROLES
from ciqcredit.dynamic.models import CaseDeadline, CaseStatus, Notice
from ciqcredit.dynamic.workflow import STEP_ANSWER, STEP_DEFENCE
from ciqcredit.mail import mail_after_commit
from ciqcredit.organizations.people import enterprise_addresses, staff_addresses
from ciqcredit.organizations.roles import Role
from ciqcredit.portal.models import Reminder
from ciqcredit.workdays.calendar import due_soon


@dataclass(frozen=True)
class Due:
    key: str
    addresses: list[str]
    subject: str
    body: str


def _horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=14)  # wider than three working days over any holiday; due_soon decides


def deadlines_due_soon(today: dt.date) -> list[Due]:
    found: list[Due] = []
    steps = (
        CaseDeadline.objects.filter(
            step__in=[STEP_DEFENCE, STEP_ANSWER],
            deadline__closed_at__isnull=True,
            deadline__due_on__gte=today,
            deadline__due_on__lte=_horizon(today),
        )
        .select_related("deadline", "case__enterprise", "case__organization")
        .order_by("id")
    )
    for step in steps:
        due, case = step.deadline.due_on, step.case
        if not due_soon(due, today):
            continue
        if step.step == STEP_DEFENCE and case.status == CaseStatus.DEFENCE_PERIOD:
            found.append(
                Due(
                    f"{step.step}:{step.pk}:enterprise",
                    enterprise_addresses(case.enterprise_id),
                    "陈述申辩期限即将届满",
                    f"贵单位的{case.get_kind_display()}案件陈述申辩期限为{due:%Y年%-m月%-d日}，逾期未提出的视为放弃。"
                    "如需申辩，请登录平台企业端提交。",
                )
            )
        elif step.step == STEP_ANSWER and case.status == CaseStatus.DEFENCE_RECEIVED:
            found.append(
                Due(
                    f"{step.step}:{step.pk}:office",
                    staff_addresses(case.organization, (Role.BUREAU_CREDIT,)),
                    "陈述申辩答复期限即将届满",
                    f"{case.enterprise.name}的陈述申辩须于{due:%Y年%-m月%-d日}前答复。",
                )
            )
    for objection in Objection.objects.filter(
        status=ObjectionStatus.PENDING, due_on__gte=today, due_on__lte=_horizon(today)
    ).select_related("organization", "enterprise", "record"):
        if due_soon(objection.due_on, today):
            found.append(
                Due(
                    f"collection.objection:{objection.pk}:office",
                    staff_addresses(objection.organization, REVIEWER_ROLES),
                    "企业异议复核期限即将届满",
                    f"{objection.enterprise.name}对信用信息{objection.record.association_no}的异议须于"
                    f"{objection.due_on:%Y年%-m月%-d日}前复核。",
                )
            )
    for notice in Notice.objects.filter(
        sent_to_account_at__isnull=False,
        opened_at__isnull=True,
        delivered_on__isnull=True,
        voided_at__isnull=True,
        electronic_due_on__gte=today,
        electronic_due_on__lte=_horizon(today),
    ).select_related("case"):
        if due_soon(notice.electronic_due_on, today):
            found.append(
                Due(
                    f"dynamic.notice:{notice.pk}:enterprise",
                    enterprise_addresses(notice.case.enterprise_id),
                    f"书面告知书{notice.number}尚未查阅",
                    f"书面告知书{notice.number}尚未查阅，{notice.electronic_due_on:%Y年%-m月%-d日}将视为送达。"
                    "请登录平台企业端查阅。",
                )
            )
    return found


def reminders_send(*, today: dt.date | None = None) -> list[str]:
    """Send each reminder due today once; returns the keys sent (a reminder with no address is still claimed)."""
    today = today or clock.today()
    sent = []
    for due in deadlines_due_soon(today):
        try:
            with transaction.atomic():
                Reminder.objects.create(key=due.key[:120], sent_at=clock.now(), recipients=len(set(due.addresses)))
                mail_after_commit(due.addresses, due.subject, due.body)
        except IntegrityError:
            continue  # claimed before (an earlier run, or another worker)
        sent.append(due.key)
    return sent
