"""Partner regulators (合作部门, §五(三)) and the lists they send in.

A `Partner` is a regulator outside the inspection system (court, tax authority, customs, market regulation…).
Its organization row has the level `partner`, no parent and a path outside HQ's (`partner/<code>/`), so no
bureau or branch scoping ever reaches it and its API clients hold no staff role.

A `PartnerList` is one reward (守信) or punishment (失信) list a partner owns, by a stable code
(`court_dishonest_debtors`). What the partner sends arrives as versions: each `PartnerListVersion` is one
received change (a full snapshot or a set of additions and removals) that entered or removed at least one
code, or changed what a snapshot says of a member (its name or reference: updated on its open entry, the old values
kept in the audit row, `details_version` the version that last changed them); the same snapshot twice makes no
version. A `PartnerListEntry` is one stay of a credit code on a list,
from the version (and day) it entered to the one it left, so the members at any version or day and the
difference between two versions are read from the entries alone. Codes the registry does not know yet are
kept; `enterprise` is filled when the enterprise registers (partners.receivers).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ciqcredit.catalogue.choices import PartnerListKind


class PartnerKind(models.TextChoices):
    COURT = "court", "人民法院"
    TAX = "tax", "税务部门"
    CUSTOMS = "customs", "海关"
    MARKET = "market", "市场监管部门"
    OTHER = "other", "其他部门"


class Partner(models.Model):
    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.PROTECT, related_name="partner", verbose_name="机构"
    )
    kind = models.CharField("部门类别", max_length=10, choices=PartnerKind.choices)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "合作部门"
        verbose_name_plural = "合作部门"
        ordering = ["organization__code"]

    def __str__(self) -> str:
        return self.organization.name

    @property
    def code(self) -> str:
        return self.organization.code

    @property
    def name(self) -> str:
        return self.organization.name


class PartnerList(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="lists", verbose_name="合作部门")
    code = models.CharField("名单代码", max_length=40, unique=True)
    title = models.CharField("名单名称", max_length=100)
    kind = models.CharField("名单类别", max_length=12, choices=PartnerListKind.choices)
    version = models.PositiveIntegerField("当前版本", default=0)  # 0: nothing received yet
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "合作部门名单"
        verbose_name_plural = "合作部门名单"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class VersionSource(models.TextChoices):
    SNAPSHOT = "snapshot", "全量名单"
    ENTRIES = "entries", "增减条目"


class PartnerListVersion(models.Model):
    partner_list = models.ForeignKey(PartnerList, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    source = models.CharField("来源", max_length=10, choices=VersionSource.choices)
    on = models.DateField("生效日期")
    received_at = models.DateTimeField("接收时间")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="发送系统"
    )
    size = models.PositiveIntegerField("名单人数")
    entered = models.PositiveIntegerField("新列入")
    left = models.PositiveIntegerField("移出")
    changed = models.PositiveIntegerField("信息变更", default=0)  # members whose name or reference changed
    digest = models.CharField("名单摘要（SHA-256）", max_length=64)  # of the sorted member codes

    class Meta:
        verbose_name = "合作部门名单版本"
        verbose_name_plural = "合作部门名单版本"
        ordering = ["partner_list", "-number"]
        constraints = [models.UniqueConstraint(fields=["partner_list", "number"], name="partner_list_version_unique")]

    def __str__(self) -> str:
        return f"{self.partner_list.title} 第{self.number}版"


class PartnerListEntry(models.Model):
    partner_list = models.ForeignKey(PartnerList, on_delete=models.PROTECT, related_name="entries")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    name = models.CharField("名称（合作部门提供）", max_length=200, blank=True)
    reference = models.CharField("文书号或依据", max_length=100, blank=True)
    since = models.DateField("列入日期")
    until = models.DateField("移出日期", null=True, blank=True)  # a member on days since <= d < until
    entered_version = models.PositiveIntegerField("列入版本")
    left_version = models.PositiveIntegerField("移出版本", null=True, blank=True)
    details_version = models.PositiveIntegerField(
        "信息变更版本", null=True, blank=True
    )  # last change of name/reference
    matched_at = models.DateTimeField("与企业名录匹配时间", null=True, blank=True)

    class Meta:
        verbose_name = "合作部门名单条目"
        verbose_name_plural = "合作部门名单条目"
        ordering = ["partner_list", "credit_code", "entered_version"]
        indexes = [
            # A release decision asks for its parties' memberships on a day: one probe per code.
            models.Index(fields=["credit_code", "since"], name="partner_entry_code_idx"),
            models.Index(fields=["partner_list", "left_version"], name="partner_entry_current_idx"),
            models.Index(
                fields=["credit_code"], condition=Q(enterprise__isnull=True), name="partner_entry_pending_idx"
            ),
        ]
        constraints = [
            # At most one open stay of a code on a list.
            models.UniqueConstraint(
                fields=["partner_list", "credit_code"],
                condition=Q(left_version__isnull=True),
                name="partner_entry_one_open_stay",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_list.code} {self.credit_code}"

    @property
    def is_pending(self) -> bool:
        return self.enterprise_id is None
