"""Credit records (信用信息) and what surrounds them: transitions, association-number serials, exclusions.

A record is never deleted. Only `effective` records count for rating, and for the one enterprise that is
responsible for the act (§三(三)). The fields that rating aggregates over (points, serious, penalised,
enters_blacklist, occurred_on) are copied from the published item version when the record is made:
that version is immutable, so the copy can never drift, and a million-enterprise evaluation needs no
join to the catalogue.
"""

from django.conf import settings
from django.db import models

from ciqcredit.audit.models import Transition
from ciqcredit.catalogue.choices import Stage
from ciqcredit.collection.choices import PartyRole, RecordStatus, Route

# Re-exported: the choices live in choices.py, which pure modules and the API import without the models.
__all__ = [
    "AssociationSerial",
    "CreditRecord",
    "Exclusion",
    "PartyRole",
    "RecordAttachment",
    "RecordStatus",
    "RecordTransition",
    "Route",
]


class CreditRecord(models.Model):
    # The enterprise the record counts for: the responsible one decided by the authority (§三(三)).
    # The FK indexes that a composite index below begins with are left out: each index is paid on every insert
    # (a bulk load writes millions), and the composite one answers the same lookups.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="credit_records",
        verbose_name="责任企业",
        db_index=False,  # record_act_idx
    )
    # The other enterprise involved in the same act (agent or consignee/consignor), recorded but not charged.
    other_party = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="其他涉及企业",
        db_index=False,  # record_other_party_idx
    )
    other_party_role = models.CharField(max_length=10, choices=PartyRole.choices, blank=True)
    item = models.ForeignKey("catalogue.CatalogueItem", on_delete=models.PROTECT, related_name="records")
    item_code = models.CharField("条目编号", max_length=30)
    catalogue_version = models.PositiveIntegerField("条目版本")
    points = models.PositiveIntegerField("失信计分")
    serious = models.BooleanField("严重违法", default=False)
    penalised = models.BooleanField("已行政处罚", default=False)
    enters_blacklist = models.BooleanField("直接列入严重失信名单", default=False)
    act_ref = models.CharField("失信行为标识", max_length=60)
    occurred_on = models.DateField("发生日期")
    discovered_on = models.DateField("发现日期")
    verified_on = models.DateField("查实日期")
    entered_at = models.DateTimeField("录入时间")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="credit_records",
        verbose_name="采集机构",
        db_index=False,  # record_org_status_idx
    )
    department = models.ForeignKey(
        "organizations.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="采集部门",
    )
    route = models.CharField("采集途径", max_length=12, choices=Route.choices)
    stage = models.CharField("登记环节", max_length=12, blank=True)  # declaration | inspection for e-CIQ items
    association_no = models.CharField("业务关联号", max_length=40)
    association_generated = models.BooleanField(default=False)
    declarant_responsible = models.BooleanField("报检员负有责任", default=False)
    declarant_no = models.CharField("报检员备案号", max_length=30, blank=True)
    description = models.TextField("详情")
    details = models.JSONField("其他关联号等", default=dict, blank=True)
    eciq_id = models.CharField("e-CIQ 记录号", max_length=60, null=True, blank=True, unique=True)
    external_ref = models.CharField("外部来源编号", max_length=60, blank=True)
    status = models.CharField("状态", max_length=24, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes", verbose_name="被替代于"
    )
    effective_at = models.DateTimeField("生效时间", null=True, blank=True)
    # §三(六): entered within N working days after the conduct was discovered and verified.
    deadline = models.ForeignKey("workdays.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("采集期限", null=True, blank=True)
    late_days = models.PositiveIntegerField("逾期工作日数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # record_creator_status_idx
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The department whose reviewer must confirm (§三(五)3: 检务 for declaration stage, 施检 for inspection).
    review_department = models.ForeignKey(
        "organizations.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Review delays are measured like collection delays (issue 4, item 1): from submission (or arrival).
    review_deadline = models.ForeignKey(
        "workdays.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_late_days = models.PositiveIntegerField("审核逾期工作日数", default=0)
    # A correction is a new record; it points at the record it corrects (which becomes `corrected`).
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name="更正的原信息"
    )

    class Meta:
        verbose_name = "信用信息"
        verbose_name_plural = "信用信息"
        indexes = [
            # Rating: effective records of every enterprise in a period, in one scan.
            # Carries points too, so the evaluation's aggregate reads the index alone (measured ~10× on SQLite).
            models.Index(fields=["status", "occurred_on", "enterprise", "points"], name="record_rating_idx"),
            models.Index(fields=["enterprise", "act_ref"], name="record_act_idx"),
            models.Index(fields=["organization", "status"], name="record_org_status_idx"),
            models.Index(fields=["other_party"], name="record_other_party_idx"),
            # "My queue": records awaiting a department's reviewers, and a collector's drafts.
            models.Index(fields=["status", "review_department"], name="record_queue_idx"),
            models.Index(fields=["created_by", "status"], name="record_creator_status_idx"),
        ]
        constraints = [
            # §三(四) one act, one item: the database itself keeps a single effective record per act.
            models.UniqueConstraint(
                fields=["enterprise", "act_ref"],
                condition=models.Q(status="effective"),
                name="record_one_effective_per_act",
            ),
            # Intake from other regulators is idempotent per their reference, as e-CIQ is per eciq_id.
            models.UniqueConstraint(
                fields=["external_ref"], condition=~models.Q(external_ref=""), name="record_external_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label_of(self.association_no, self.item_code)

    @staticmethod
    def label_of(association_no: str, item_code: str) -> str:
        """How a record is named (also by the bulk paths, which build no instance)."""
        return f"{association_no} {item_code}"

    @property
    def stage_label(self) -> str:
        """报检环节 / 施检环节: the e-CIQ stage as people read it."""
        return str(Stage(self.stage).label) if self.stage in Stage.values else self.stage

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def entry_due_on(self):
        """The entry deadline as it stands: the Deadline row (recomputed when an official holiday schedule is
        loaded), or the stored copy for bulk-loaded records, which have none."""
        return self.deadline.due_on if self.deadline_id else self.due_on


class RecordTransition(Transition):
    """One status change of a record: its history, and the outbox for notices and alerts."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="transitions")

    def __str__(self) -> str:
        return f"{self.record_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return RecordStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return RecordStatus(self.to_status).label


class RecordAttachment(models.Model):
    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="records/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class AssociationSerial(models.Model):
    """The last serial used per prefix (J/W), collecting organization and day: gap-free, 001–999."""

    prefix = models.CharField(max_length=1)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "organization", "day"], name="association_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.organization_id}{self.day:%Y%m%d} #{self.last}"


class Exclusion(models.Model):
    """§三(三): a responsible subject judged not suitable for inclusion; not collected, kept for supervision."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "organizations.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_name = models.CharField("责任主体", max_length=200)
    subject_identifier = models.CharField("主体标识（船名、车牌、证件号等）", max_length=60, blank=True)
    item_code = models.CharField(max_length=30, blank=True)
    association_no = models.CharField(max_length=40, blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    reason = models.TextField("不适合纳入的理由")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.subject_name}（不采集）"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class ObjectionOutcome(models.TextChoices):
    REVOKED = "revoked", "信息已撤销"
    CORRECTED = "corrected", "信息已更正"


class Objection(models.Model):
    """An enterprise's objection (异议) to one of its effective records, reviewed by the collecting organization.

    Filed within the rule set's window of the record becoming effective; reviewed within its review period
    (the tracked `review_deadline`). Upheld, the record is revoked or corrected through the record services
    (which undo its effects); rejected, the answer gives the reason.
    """

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="objections")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="复核机构"
    )
    reasons = models.TextField("异议理由")
    status = models.CharField("状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING)
    filed_at = models.DateTimeField("提出时间")
    filed_on = models.DateField("提出日期")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_deadline = models.OneToOneField(
        "workdays.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("复核期限")
    answer = models.TextField("复核意见", blank=True)
    outcome = models.CharField("处理结果", max_length=10, choices=ObjectionOutcome.choices, blank=True)
    correction = models.ForeignKey(
        CreditRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="更正后的信息"
    )
    decided_on = models.DateField("复核日期", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "企业异议"
        verbose_name_plural = "企业异议"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(status="pending"),
                name="collection_objection_one_pending",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"], name="objection_org_status_idx")]

    def __str__(self) -> str:
        return f"异议 {self.record_id}"


class ObjectionFile(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="objections/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
