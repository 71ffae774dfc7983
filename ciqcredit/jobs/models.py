"""Long work started from a page (an evaluation, a bulk confirmation), tracked as a row that pages poll."""

from django.conf import settings
from django.db import models


class JobKind(models.TextChoices):
    EVALUATION = "evaluation", "周期评定"
    CONFIRMATION = "confirmation", "批量确认评定结果"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"


class Job(models.Model):
    kind = models.CharField("任务类别", max_length=20, choices=JobKind.choices)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField("参数", default=dict)
    phase = models.CharField("当前步骤", max_length=200, blank=True)
    # The finished phases, each {"label", "seconds", ...}: the same the command line prints.
    phases = models.JSONField("已完成步骤", default=list)
    message = models.TextField("结果", blank=True)
    link = models.CharField("结果页面", max_length=200, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提交时间")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
