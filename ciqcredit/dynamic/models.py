"""Dynamic management (动态管理): cases, their written notices, HQ batches and removals from the list.

A `DynamicCase` is opened by `dynamic_recheck` when an effective record makes an enterprise reach the
immediate-downgrade or the serious-list condition of the rule set in force. It keeps what decided it (the
points, the records, the rule-set version, the intended grade) and moves through statuses; every move is
a `CaseTransition` row. Each case has one current `Notice` (§三(八) 书面告知): nothing is carried out before its
delivery is recorded, and delivery carries out only what it states. When the facts change before delivery the
case is re-decided and a new notice drafted; the old one is voided and kept. Only the services in this app
change these rows.
"""

from django.conf import settings
from django.db import models

from ciqcredit.audit.models import Transition


class CaseKind(models.TextChoices):
    DOWNGRADE = "downgrade", "即时降级"
    SERIOUS_LIST = "serious_list", "列入严重失信企业名单"


class CaseStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", "待确认初评结果"
    AWAITING_NOTICE = "awaiting_notice", "待送达告知书"
    NOTICE_DELIVERED = "notice_delivered", "告知书已送达"
    CARRIED_OUT = "carried_out", "已实施降级"
    DEFENCE_PERIOD = "defence_period", "陈述申辩期"
    DEFENCE_RECEIVED = "defence_received", "已受理申辩，待答复"
    ANSWERED = "answered", "已答复申辩"
    NO_DEFENCE = "no_defence", "未提出申辩"
    REPORTED_TO_BUREAU = "reported_to_bureau", "已上报直属局"
    REPORTED_TO_HQ = "reported_to_hq", "已上报总局"
    APPROVED = "approved", "总局批准列入，已公布"
    REJECTED = "rejected", "总局不予列入"
    REMOVED = "removed", "已移出名单"
    CANCELLED = "cancelled", "已撤销"


# A case in one of these statuses waits for nobody; any other status is open (it can still be cancelled).
CLOSED_STATUSES = frozenset(
    {CaseStatus.CARRIED_OUT, CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.REMOVED, CaseStatus.CANCELLED}
)


class DynamicCase(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="dynamic_cases", verbose_name="企业"
    )
    kind = models.CharField("类别", max_length=20, choices=CaseKind.choices)
    status = models.CharField("状态", max_length=24, choices=CaseStatus.choices, default=CaseStatus.AWAITING_NOTICE)
    # The action of ciqcredit.rules.grading.dynamic_actions that opened it: downgrade, control or serious_list.
    action = models.CharField("动作", max_length=20)
    rule = models.CharField("触发规则", max_length=40)
    detail = models.TextField("触发情形")
    from_grade = models.CharField("原等级", max_length=2, blank=True)
    to_grade = models.CharField("拟调整为", max_length=2, blank=True)
    controlled = models.BooleanField("实施布控", default=False)
    points = models.PositiveIntegerField("本周期计分")
    serious_points = models.PositiveIntegerField("严重违法且受处罚的计分", default=0)
    threshold = models.PositiveIntegerField("触发分值")
    ruleset_version = models.PositiveIntegerField("评定规则版本")
    period_start = models.DateField("评定周期起")
    period_end = models.DateField("评定周期止")
    # The responsible organization: the enterprise's registering organization when the case opened.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="dynamic_cases", verbose_name="责任机构"
    )
    trigger_record = models.ForeignKey(
        "collection.CreditRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    records = models.ManyToManyField("collection.CreditRecord", through="CaseRecord", related_name="dynamic_cases")
    opened_at = models.DateTimeField("立案时间")
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    # §四(二) for a downgrade's proposed grade (the dynamic initial rating): confirm or adjust within the rule
    # set's windows before the notice is drafted; left unconfirmed, it proceeds as computed, flagged.
    confirm_until = models.DateField("初评确认期限", null=True, blank=True)
    adjust_until = models.DateField("初评调整期限", null=True, blank=True)
    adjustment_reason = models.TextField("调整理由", blank=True)
    unconfirmed = models.BooleanField("未经确认（督查统计）", default=False)
    # Serious-list procedure.
    defence_received_on = models.DateField("申辩受理日期", null=True, blank=True)
    defence_text = models.TextField("申辩意见", blank=True)
    defence_file = models.FileField(upload_to="dynamic/defences/%Y/", blank=True)
    # A defence the enterprise submitted itself through the platform (portal or API), with its evidence files.
    defence_online = models.BooleanField("企业在线提交申辩", default=False)
    defence_submitted_at = models.DateTimeField("在线提交时间", null=True, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer_text = models.TextField("答复意见", blank=True)
    reported_to_bureau_on = models.DateField("上报直属局日期", null=True, blank=True)
    batch = models.ForeignKey(
        "HqBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name="上报批次"
    )
    # Outcome.
    carried_out_on = models.DateField("实施日期", null=True, blank=True)
    grade_change = models.ForeignKey(
        "rating.GradeChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    cancel_reason = models.TextField("撤销理由", blank=True)
    # A carried-out downgrade or listing whose record was withdrawn is undone by a new grade change.
    reversal = models.ForeignKey(
        "rating.GradeChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversed_on = models.DateField("恢复日期", null=True, blank=True)

    class Meta:
        verbose_name = "动态管理案件"
        verbose_name_plural = "动态管理案件"
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "kind", "status"], name="dynamic_case_ent_idx"),
            models.Index(fields=["organization", "status"], name="dynamic_case_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.enterprise_id}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def notice(self) -> "Notice | None":
        """The current notice (not voided), or None before one is drafted. Uses prefetched `notices` if any."""
        return next((n for n in self.notices.all() if n.voided_at is None), None)


class CaseRecord(models.Model):
    """A record behind a case, with the points it carried when the case opened."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="case_records")
    record = models.ForeignKey("collection.CreditRecord", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "record"], name="dynamic_case_record_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.record_id}"


class CaseTransition(Transition):
    """One status change of a case: its history."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="transitions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return CaseStatus(self.to_status).label


class CaseDeadline(models.Model):
    """A step deadline of a case: the tracked `workdays.Deadline` and which step it is."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="step_deadlines")
    step = models.CharField(max_length=30)  # see ciqcredit.dynamic.workflow.STEPS
    deadline = models.OneToOneField("workdays.Deadline", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["deadline__due_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"


class DeliveryMethod(models.TextChoices):
    DIRECT = "direct", "直接送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"
    ANNOUNCEMENT = "announcement", "公告送达"


class Notice(models.Model):
    """A written notice (书面告知书) of a case. Its content is a snapshot taken when drafted. A notice whose
    statement no longer matches the facts is voided (kept, with its number) and replaced by a new one."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="notices")
    number = models.CharField("告知书编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="发文机构"
    )
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    content = models.JSONField("告知内容")
    drafted_at = models.DateTimeField("拟制时间")
    delivery_method = models.CharField("送达方式", max_length=20, choices=DeliveryMethod.choices, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    recipient = models.CharField("签收人", max_length=100, blank=True)
    proof_file = models.FileField("送达回证", upload_to="dynamic/notices/%Y/", blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_recorded_at = models.DateTimeField(null=True, blank=True)
    # Electronic delivery (电子送达): sent to the enterprise's account; delivered when one of its users opens it or
    # when `electronic_due_on` arrives, whichever first (the delivery fields above then record which).
    sent_to_account_at = models.DateTimeField("发送至企业账户时间", null=True, blank=True)
    electronic_due_on = models.DateField("视为送达日期", null=True, blank=True)
    opened_at = models.DateTimeField("企业首次查阅时间", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="重新拟制的告知书"
    )

    class Meta:
        verbose_name = "书面告知书"
        verbose_name_plural = "书面告知书"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "serial"], name="dynamic_notice_serial_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(voided_at__isnull=True), name="dynamic_notice_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def delivered(self) -> bool:
        return self.delivered_on is not None

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class DefenceEvidence(models.Model):
    """An evidence file of a defence the enterprise submitted online."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="defence_evidence")
    file = models.FileField(upload_to="dynamic/defences/%Y/")
    name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class NoticeSerial(models.Model):
    """The last notice serial used per issuing organization and year: gap-free, taken under a row lock."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="dynamic_notice_year_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} #{self.last}"


class BatchStatus(models.TextChoices):
    SUBMITTED = "submitted", "已上报总局"
    APPROVED = "approved", "总局已批准"
    REJECTED = "rejected", "总局不予批准"


class HqBatch(models.Model):
    """A bureau's monthly report of serious-list cases to HQ (before the 10th of the next month)."""

    number = models.CharField("批次号", max_length=30, unique=True)
    bureau = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("所属月份")  # first day of the month the cases were reported to the bureau
    status = models.CharField(max_length=12, choices=BatchStatus.choices, default=BatchStatus.SUBMITTED)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "严重失信名单上报批次"
        verbose_name_plural = "严重失信名单上报批次"
        ordering = ["-month", "bureau__code"]
        constraints = [models.UniqueConstraint(fields=["bureau", "month"], name="dynamic_batch_month_unique")]

    def __str__(self) -> str:
        return self.number


class RemovalStatus(models.TextChoices):
    ACCEPTED = "accepted", "已受理，观察期中"
    APPROVED = "approved", "已移出名单"
    REFUSED = "refused", "不予移出"


class RemovalApplication(models.Model):
    """An enterprise's application, through its bureau, to leave the serious list after rectification."""

    case = models.ForeignKey(DynamicCase, on_delete=models.PROTECT, related_name="removals")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    rectification = models.TextField("整改情况")
    accepted_on = models.DateField("受理日期")
    clean_months = models.PositiveSmallIntegerField("观察期（月）")
    clean_until = models.DateField("观察期截止")
    status = models.CharField(max_length=12, choices=RemovalStatus.choices, default=RemovalStatus.ACCEPTED)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    grade_change = models.ForeignKey(
        "rating.GradeChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "移出严重失信名单申请"
        verbose_name_plural = "移出严重失信名单申请"
        ordering = ["-accepted_on", "-id"]

    def __str__(self) -> str:
        return f"移出申请 #{self.pk} {self.enterprise_id}"
