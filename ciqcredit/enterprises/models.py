from django.db import models

from ciqcredit.enterprises.types import EnterpriseType, decode_types


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    CANCELLED = "cancelled", "注销"


class Enterprise(models.Model):
    """A subject of credit management: a company, or a vessel, conveyance or natural person (§三(三))."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)  # indexed with credit_code below
    org_code = models.CharField("组织机构代码", max_length=9, blank=True)
    ciq_registration_no = models.CharField("检验检疫备案号", max_length=30, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    main_business = models.CharField("主营业务", max_length=500, blank=True)
    types = models.CharField("企业类型", max_length=300, blank=True)  # ';importer;exporter;', see types.py
    registering_org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name="备案地机构",
        db_index=False,  # enterprise_org_status_idx begins with it; one index less to write per enterprise
    )
    registered_on = models.DateField("备案日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=EnterpriseStatus.choices, default=EnterpriseStatus.ACTIVE)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        indexes = [
            models.Index(fields=["registering_org", "status"], name="enterprise_org_status_idx"),
            # The list pages order by (name, credit_code): an index that serves the ORDER BY … LIMIT.
            models.Index(fields=["name", "credit_code"], name="enterprise_name_code_idx"),
        ]

    def __str__(self) -> str:
        return self.label_of(self.name, self.credit_code)

    @staticmethod
    def label_of(name: str, credit_code: str) -> str:
        """How an enterprise is named (also by the bulk import, which builds no instance)."""
        return f"{name}（{credit_code}）"

    @property
    def type_slugs(self) -> list[str]:
        return decode_types(self.types)

    @property
    def type_labels(self) -> list[str]:
        return [EnterpriseType(slug).label for slug in self.type_slugs]
