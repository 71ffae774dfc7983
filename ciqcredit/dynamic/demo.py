"""The demo's dynamic cases carried on day by day, as offices in use carry them: notices delivered on paper
a few days after drafting (with a scanned 送达回证), so downgrades take effect; serious-list cases reported to
the bureau once their defence period has lapsed, sent to HQ in the bureau's monthly batch and approved.

A few notices stay waiting: those of the last days (inside their delivery period) and two drafted a few weeks
before the demo's date that nobody delivered, so the to-dos and the supervision figures show what overdue
looks like. Runs inside collection.demo's simulated days (the platform's date pinned to each day).
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db.models import Q

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.dynamic.models import BatchStatus, CaseKind, CaseStatus, DeliveryMethod, DynamicCase, HqBatch, Notice
from ciqcredit.dynamic.notices import notice_deliver
from ciqcredit.dynamic.procedure import case_report_to_bureau, hq_batch_approve, hq_batch_create
from ciqcredit.dynamic.workflow import STEP_DEFENCE, STEP_REPORT_EARLIEST, step_get
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Role
from ciqcredit.pdfdoc import build_a4, esc, grid_table, styles

DELIVERY_LAGS = (1, 2, 2, 3, 3, 4, 5, 6)  # calendar days from drafting to delivery: well inside 10 working days
OVERDUE_DRAFTED = (45, 20)  # days before the demo's date: notices drafted then may be left undelivered…
OVERDUE_NOTICES = 2  # …this many of them, so that overdue shows, as it would on a platform in use
BATCH_DECIDED_AFTER = 6  # days HQ takes to approve a bureau's monthly batch
METHODS = (DeliveryMethod.DIRECT,) * 5 + (DeliveryMethod.POST,)  # on paper: by hand, now and then by post


def receipt_pdf(notice: Notice, *, method: str, delivered_on: dt.date, recipient: str, deliverer: str) -> bytes:
    """The 送达回证 signed on delivery, as the office would scan it."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    rows = [
        ["事项", "内容"],
        ["送达文书", f"{notice.content.get('title', '书面告知书')}（{notice.number}）"],
        ["受送达人", notice.content["enterprise"]["name"]],
        ["送达方式", DeliveryMethod(method).label],
        ["送达日期", f"{delivered_on:%Y年%m月%d日}"],
        ["签收人", recipient],
        ["送达人", deliverer],
    ]
    story = [
        Paragraph(esc(notice.content["issuer"]["name"]), st.issuer),
        Paragraph("送达回证", st.title),
        Spacer(1, 6 * mm),
        grid_table([[Paragraph(esc(c), st.cell) for c in row] for row in rows], [40 * mm, 130 * mm]),
    ]
    return build_a4(story, title=f"送达回证 {notice.number}", author=deliverer, subject="送达回证")


@dataclass
class CaseDays:
    """What the offices do with their cases on one simulated day; `end` is the demo's date (today)."""

    rng: random.Random
    end: dt.date
    lags: dict[int, int | None] = field(default_factory=dict)
    left_overdue: int = OVERDUE_NOTICES
    officers: dict[int, User] = field(default_factory=dict)
    hq_admin: User | None = None

    def __post_init__(self) -> None:
        people = User.objects.filter(is_system=False, is_active=True).select_related("organization").order_by("id")
        for user in people:
            if user.has_role(Role.BUREAU_CREDIT):
                self.officers.setdefault(user.organization_id, user)
            if user.is_hq and user.has_role(Role.HQ_ADMIN) and self.hq_admin is None:
                self.hq_admin = user

    def officer_for(self, organization: Organization) -> User | None:
        """The organization's own credit officer, else the nearest one above it."""
        node: Organization | None = organization
        while node is not None:
            if node.pk in self.officers:
                return self.officers[node.pk]
            node = node.parent
        return None

    def __call__(self, day: dt.date) -> None:
        self.deliver(day)
        self.report(day)
        self.batches(day)

    def _lag(self, notice: Notice) -> int | None:
        if notice.pk not in self.lags:
            drafted = notice.drafted_at.date()
            early, late = (self.end - dt.timedelta(days=d) for d in OVERDUE_DRAFTED)
            if self.left_overdue and early <= drafted <= late:
                self.left_overdue -= 1
                self.lags[notice.pk] = None
            else:
                self.lags[notice.pk] = self.rng.choice(DELIVERY_LAGS)
        return self.lags[notice.pk]

    def deliver(self, day: dt.date) -> None:
        waiting = Notice.objects.filter(
            delivered_on__isnull=True, voided_at__isnull=True, case__status=CaseStatus.AWAITING_NOTICE
        ).select_related("case__organization", "case__enterprise")
        for notice in waiting.order_by("id"):
            lag = self._lag(notice)
            officer = self.officer_for(notice.case.organization)
            if lag is None or officer is None or day < notice.drafted_at.date() + dt.timedelta(days=lag):
                continue
            method = self.rng.choice(METHODS)
            recipient = notice.case.enterprise.legal_representative or "企业经办人"
            proof = receipt_pdf(
                notice, method=method, delivered_on=day, recipient=recipient, deliverer=officer.full_name or "经办人"
            )
            try:
                notice_deliver(
                    notice=notice,
                    method=method,
                    delivered_on=day,
                    recipient=recipient,
                    proof_file=ContentFile(proof, name="送达回证.pdf"),
                    actor=Actor.of(officer),
                )
            except DomainError:
                continue  # the facts changed since drafting: a new notice was drafted, delivered another day

    def report(self, day: dt.date) -> None:
        """Serious-list cases whose defence period lapsed go to the bureau once the earliest date is reached."""
        cases = DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.DEFENCE_PERIOD)
        for case in cases.select_related("organization").order_by("id"):
            window, earliest = step_get(case, STEP_DEFENCE), step_get(case, STEP_REPORT_EARLIEST)
            if window is None or day <= window.deadline.due_on:
                continue
            if earliest is not None and day < earliest.deadline.due_on:
                continue
            officer = self.officer_for(case.organization)
            if officer is not None:
                case_report_to_bureau(case=case, actor=Actor.of(officer))

    def batches(self, day: dt.date) -> None:
        """Early each month the bureaus send last month's cases to HQ, which approves a few days later."""
        first = day.replace(day=1)
        reported = DynamicCase.objects.filter(
            status=CaseStatus.REPORTED_TO_BUREAU, batch__isnull=True, reported_to_bureau_on__lt=first
        ).select_related("organization")
        for case in reported.order_by("id"):
            bureau = case.organization if case.organization.level == Level.BUREAU else case.organization.parent
            month = case.reported_to_bureau_on.replace(day=1) if case.reported_to_bureau_on else first
            officer = self.officers.get(bureau.pk) if bureau is not None else None
            if bureau is None or officer is None or HqBatch.objects.filter(bureau=bureau, month=month).exists():
                continue
            hq_batch_create(bureau=bureau, month=month, actor=Actor.of(officer))
        due = clock.now() - dt.timedelta(days=BATCH_DECIDED_AFTER)
        for batch in HqBatch.objects.filter(Q(status=BatchStatus.SUBMITTED), submitted_at__lte=due).order_by("id"):
            if self.hq_admin is not None:
                hq_batch_approve(batch=batch, actor=Actor.of(self.hq_admin))
