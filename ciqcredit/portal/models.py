from django.db import models


class Reminder(models.Model):
    """A deadline reminder sent by e-mail (`ciqcredit notify_deadlines`): one per deadline and recipient group,
    so the daily job never sends the same reminder twice."""

    key = models.CharField(max_length=120, unique=True)  # e.g. dynamic.defence:42:enterprise
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = "到期提醒"

    def __str__(self) -> str:
        return self.key
