from django.conf import settings
from django.db import models


class KeyEnterpriseRule(models.Model):
    """An HQ department's rule choosing key enterprises (重点企业): enterprise types and/or a registering
    organization's subtree. Matches are materialized as KeyEnterprise rows when the rule is saved or refreshed."""

    department = models.CharField("业务司局", max_length=50)
    name = models.CharField("规则名称", max_length=100)
    types = models.CharField("企业类型", max_length=300, blank=True)  # ';importer;' — any of them; empty: all
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="备案地机构（含下级）",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by_label = models.CharField(max_length=150)

    class Meta:
        app_label = "rating"
        verbose_name = "重点企业规则"
        verbose_name_plural = "重点企业规则"

    def __str__(self) -> str:
        return f"{self.department}：{self.name}"


class KeyEnterprise(models.Model):
    """An enterprise a department keeps as key, by list (`rule` null) or by a rule."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="key_entries")
    department = models.CharField("业务司局", max_length=50)
    rule = models.ForeignKey(KeyEnterpriseRule, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    active = models.BooleanField(default=True)
    since = models.DateField("确定日期")
    reason = models.CharField("确定理由", max_length=200, blank=True)
    created_by_label = models.CharField(max_length=150)

    class Meta:
        app_label = "rating"
        verbose_name = "重点企业"
        verbose_name_plural = "重点企业"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "department"], name="key_enterprise_department_unique")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.enterprise_id}"


class KeyFile(models.TextChoices):
    GRADE_CHANGE = "grade_change", "升降级档案"
    SUPPORT = "support", "支持服务档案"
    INTERVIEW = "interview", "降级约谈档案"


class KeyFileEntry(models.Model):
    """A dated entry in one of a key enterprise's three electronic files (§四(三))."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="key_file_entries")
    file = models.CharField("档案", max_length=15, choices=KeyFile.choices)
    entry_date = models.DateField("日期")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容", blank=True)
    # Interviews created by a downgrade start as a to-do; done when the interview is held and recorded.
    todo = models.BooleanField("待办", default=False)
    done_on = models.DateField("完成日期", null=True, blank=True)
    automatic = models.BooleanField("系统自动生成", default=False)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_label = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        app_label = "rating"
        verbose_name = "重点企业档案记录"
        verbose_name_plural = "重点企业档案记录"
        ordering = ["-entry_date", "-id"]
        indexes = [models.Index(fields=["enterprise", "file", "entry_date"], name="key_file_entry_idx")]

    def __str__(self) -> str:
        return f"{self.get_file_display()} {self.entry_date} {self.title}"


class KeyFileAttachment(models.Model):
    entry = models.ForeignKey(KeyFileEntry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="keyfiles/%Y/%m/")
    name = models.CharField(max_length=200)
    uploaded_by_label = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        app_label = "rating"

    def __str__(self) -> str:
        return self.name
