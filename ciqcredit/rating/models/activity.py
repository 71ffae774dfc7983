from django.db import models


class MonthlyActivity(models.Model):
    """e-CIQ's monthly business figures of one enterprise: whether it had business, and its declaration errors.

    One row per enterprise and month (`month` is the first day of the month); a resend replaces the figures.
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="activity")
    month = models.DateField("月份")
    declarations = models.PositiveIntegerField("报检批次")
    declaration_errors = models.PositiveIntegerField("报检差错批次")
    received_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "rating"
        verbose_name = "月度业务量"
        verbose_name_plural = "月度业务量"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "month"], name="activity_enterprise_month_unique"),
            models.CheckConstraint(
                condition=models.Q(declaration_errors__lte=models.F("declarations")), name="activity_errors_lte_total"
            ),
        ]
        indexes = [models.Index(fields=["month", "enterprise"], name="activity_month_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.month:%Y-%m}"
