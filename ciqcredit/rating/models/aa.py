from django.conf import settings
from django.db import models


class AAStatus(models.TextChoices):
    SUBMITTED = "submitted", "已受理"
    IN_BATCH = "in_batch", "已列入批次"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未获批准"


class AABatchStatus(models.TextChoices):
    DRAFT = "draft", "待审批"
    APPROVED = "approved", "已批准发布"


class AABatch(models.Model):
    """A numbered national batch of AA enterprises (e.g. 2026年第1批), approved and published by HQ."""

    year = models.PositiveIntegerField("年度")
    sequence = models.PositiveIntegerField("批次")
    status = models.CharField(max_length=10, choices=AABatchStatus.choices, default=AABatchStatus.DRAFT)
    created_at = models.DateTimeField()
    created_by_label = models.CharField(max_length=150)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField("生效日期", null=True, blank=True)

    class Meta:
        app_label = "rating"
        verbose_name = "AA级企业批次"
        verbose_name_plural = "AA级企业批次"
        ordering = ["-year", "-sequence"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="aa_batch_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.year}年第{self.sequence}批"


class AAApplication(models.Model):
    """An enterprise's application for AA, lodged through its bureau, with the facts only people can attest."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="aa_applications")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField("申请日期")
    # Recorded facts (attested by the bureau): no incident/claim/dispute in the clean years; months without a
    # dishonesty record at commerce, customs and tax.
    clean_years_ok = models.BooleanField("近年未发生质量安全事故、索赔或纠纷")
    other_regulators_clean_months = models.PositiveIntegerField("其他部门无失信记录月数")
    notes = models.TextField("说明", blank=True)
    status = models.CharField(max_length=10, choices=AAStatus.choices, default=AAStatus.SUBMITTED)
    eligible = models.BooleanField("符合条件", default=False)
    conditions = models.JSONField("条件核查结果", default=list)
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(AABatch, null=True, blank=True, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "rating"
        verbose_name = "AA级申请"
        verbose_name_plural = "AA级申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            # One open application per enterprise at a time.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status__in=["submitted", "in_batch"]),
                name="aa_one_open_application",
            )
        ]

    def __str__(self) -> str:
        return f"AA申请 {self.enterprise_id} {self.applied_on}"


class AARequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待受理"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"


class AARequest(models.Model):
    """An enterprise's own online AA application. It grants nothing: its bureau verifies the facts the enterprise
    states and, accepting it, lodges the `AAApplication` that HQ's batches take up (or rejects it, with a reason)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="aa_requests")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    # What the enterprise states; the bureau verifies both on acceptance.
    clean_years_ok = models.BooleanField("企业声明近年未发生质量安全事故、索赔或纠纷")
    other_regulators_clean_months = models.PositiveIntegerField("企业声明其他部门无失信记录月数")
    statement = models.TextField("申请说明", blank=True)
    conditions = models.JSONField("提交时的条件核查结果", default=list)
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AARequestStatus.choices, default=AARequestStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("不予受理理由", blank=True)
    application = models.OneToOneField(
        AAApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="online_request"
    )

    class Meta:
        app_label = "rating"
        verbose_name = "AA级在线申请"
        verbose_name_plural = "AA级在线申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"], condition=models.Q(status="submitted"), name="aa_one_waiting_request"
            )
        ]

    def __str__(self) -> str:
        return f"AA级在线申请 #{self.pk}"
