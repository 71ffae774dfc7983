"""Credit repair (信用修复): an enterprise's online application to leave the serious dishonesty list.

The application is the enterprise's; once the office accepts it, BRIEF.md's removal procedure runs on the dynamic
case (`dynamic.RemovalApplication`: the observation period from the acceptance, then the removal or its refusal).
The online application keeps a link to that removal instead of copying its state.
"""

from django.conf import settings
from django.db import models


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交，待受理"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"


class RepairApplication(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="repair_applications", verbose_name="企业"
    )
    case = models.ForeignKey(
        "dynamic.DynamicCase", on_delete=models.PROTECT, related_name="repair_applications", verbose_name="列入名单案件"
    )
    # The responsible office of the case: it reviews the application.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="受理机构"
    )
    rectification = models.TextField("整改情况")
    evidence = models.FileField("整改证明材料", upload_to="repair/%Y/", blank=True)
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_due = models.DateField("受理审核期限")
    status = models.CharField("状态", max_length=12, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField("不予受理理由", blank=True)
    next_allowed_on = models.DateField("可再次申请日期", null=True, blank=True)
    removal = models.OneToOneField(
        "dynamic.RemovalApplication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repair_application",
        verbose_name="移出名单程序",
    )

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(status="submitted"),
                name="repair_one_waiting_application",
            )
        ]
        indexes = [models.Index(fields=["organization", "status"], name="repair_org_status_idx")]

    def __str__(self) -> str:
        return f"信用修复申请 #{self.pk}"
