"""Sharing with partner regulators (§五(三)): the agreements HQ approves and the log of every read.

A `SharingAgreement` says which of the platform's lists (`serious`, `aa`, `grades`: the change feed's lists,
rating.feed.FEED_LISTS) and which fields a partner may read, for what purpose, from when to when (both days
included: an agreement that ends on the 31st answers on the 31st and refuses on the 1st). It is requested
(pending) and takes effect only once an HQ administrator approves it; it can be revoked. A read is allowed
when an approved agreement in force that day covers the list, and every field asked for is one it grants.

An `AccessLogEntry` is one read of shared data by a partner's client, allowed or refused: partner, client,
endpoint, list, rows returned, the refusal's code, time. Written in its own statement before the answer
leaves (also for refusals, which raise after it), never changed.
"""

from django.conf import settings
from django.db import models


class SharedList(models.TextChoices):
    SERIOUS = "serious", "严重失信企业名单"
    AA = "aa", "AA级企业名单"
    GRADES = "grades", "信用等级（含布控）"


class SharedField(models.TextChoices):
    """What an entry may show beyond its cursor, kind, credit code and dates (always shown)."""

    NAME = "name", "企业名称"
    GRADE = "grade", "信用等级"
    PREVIOUS_GRADE = "previous_grade", "原等级"
    CONTROLLED = "controlled", "布控"
    CAUSE = "cause", "变更原因"
    RECORDS = "records", "信用信息摘要（近一年）"


class AgreementStatus(models.TextChoices):
    PENDING = "pending", "待批准"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    REVOKED = "revoked", "已终止"


class SharingAgreement(models.Model):
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="agreements", verbose_name="合作部门"
    )
    lists = models.JSONField("共享名单")  # SharedList values
    fields = models.JSONField("共享字段")  # SharedField values
    purpose = models.CharField("用途", max_length=300)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)  # None: until revoked
    status = models.CharField("状态", max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("登记时间")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_label = models.CharField("批准人", max_length=150, blank=True)
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    reason = models.CharField("不予批准或终止的理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "共享协议"
        verbose_name_plural = "共享协议"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["partner", "status"], name="agreement_partner_idx")]

    def __str__(self) -> str:
        return f"共享协议 {self.pk}（{self.partner}）"

    def in_force(self, day) -> bool:
        return (
            self.status == AgreementStatus.APPROVED
            and self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
        )

    @property
    def list_labels(self) -> str:
        return "、".join(SharedList(v).label for v in self.lists if v in SharedList.values)

    @property
    def field_labels(self) -> str:
        return "、".join(SharedField(v).label for v in self.fields if v in SharedField.values)


class AccessLogEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="+", verbose_name="合作部门", db_index=False
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    agreement = models.ForeignKey(SharingAgreement, null=True, on_delete=models.PROTECT, related_name="+")
    endpoint = models.CharField("接口", max_length=200)
    list_code = models.CharField("名单", max_length=40, blank=True)
    params = models.JSONField("请求参数", default=dict)
    rows = models.PositiveIntegerField("返回条数", default=0)
    allowed = models.BooleanField("准予")
    refusal = models.CharField("拒绝代码", max_length=40, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "共享数据访问日志"
        verbose_name_plural = "共享数据访问日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["partner", "at"], name="access_log_partner_idx"),
            models.Index(fields=["at"], name="access_log_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} {self.endpoint} {self.at:%Y-%m-%d %H:%M}"

    @property
    def endpoint_label(self) -> str:
        for suffix, label in ENDPOINT_LABELS:
            if self.endpoint.endswith(suffix):
                return label
        return "共享名单"

    @property
    def list_label(self) -> str:
        return SharedList(self.list_code).label if self.list_code in SharedList.values else self.list_code

    @property
    def refusal_label(self) -> str:
        return REFUSAL_LABELS.get(self.refusal, self.refusal)


ENDPOINT_LABELS = [
    ("/export", "共享名单文件"),
    ("/feedback/file", "反馈月度文件"),
    ("/feedback", "联合奖惩反馈"),
]
REFUSAL_LABELS = {
    "no_agreement": "无有效共享协议",
    "list_not_agreed": "协议不含该名单",
    "field_not_agreed": "协议不含所请求字段",
}
