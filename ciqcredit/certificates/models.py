"""Grade certificates (信用等级证明): what an enterprise shows a business partner or another authority.

A certificate states the grade in force on the day it was issued (the `GradeChange` behind it) and carries a
random verification code. It is never edited: it stays valid while the enterprise's grade is the one it states and
the enterprise is not on the serious list, unless the issuing office revokes it.
"""

from django.conf import settings
from django.db import models


class GradeCertificate(models.Model):
    code = models.CharField("验证码", max_length=16, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="grade_certificates", verbose_name="企业"
    )
    grade_change = models.ForeignKey("rating.GradeChange", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("信用等级", max_length=2)
    grade_from = models.DateField("等级生效日期")
    ruleset_version = models.PositiveIntegerField("评定规则版本", null=True, blank=True)
    # The enterprise's registering organization: the office that answers for the certificate.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="出具机构"
    )
    issued_on = models.DateField("出具日期")
    issued_at = models.DateTimeField("出具时间")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = "信用等级证明"
        verbose_name_plural = "信用等级证明"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "grade_change"], name="certificate_ent_change_idx")]

    def __str__(self) -> str:
        return f"信用等级证明 {self.display_code}"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
