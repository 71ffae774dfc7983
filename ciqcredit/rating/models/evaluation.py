from django.conf import settings
from django.db import models

from ciqcredit.rating.models.grades import GRADE_CHOICES


class EvaluationRun(models.Model):
    """One periodic evaluation (周期评定) of every active enterprise for one period.

    The row is inserted in the same transaction as its results: a failed run leaves nothing, and the unique
    period makes a second run for the same period wait for the first and then be refused.
    """

    period_start = models.DateField("评定周期起")
    period_end = models.DateField("评定周期止", unique=True)
    ruleset_version = models.PositiveIntegerField("评定规则版本")
    ruleset_params = models.JSONField("评定参数（快照）")  # the thresholds the explanation shows
    rated_on = models.DateField("初评日期")
    confirm_until = models.DateField("确认截止日")
    adjust_until = models.DateField("调整截止日")
    deadlines_provisional = models.BooleanField("期限为暂定（节假日安排未公布）", default=False)
    enterprises = models.PositiveIntegerField("参评企业数", default=0)
    by_grade = models.JSONField("各等级企业数", default=dict)
    phases = models.JSONField("各阶段耗时", default=list)
    seconds = models.FloatField("耗时（秒）", default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by_label = models.CharField(max_length=150)
    closed_at = models.DateTimeField("窗口关闭处理时间", null=True, blank=True)

    class Meta:
        app_label = "rating"
        verbose_name = "周期评定"
        verbose_name_plural = "周期评定"
        ordering = ["-period_end"]

    def __str__(self) -> str:
        return f"周期评定 {self.period_start}–{self.period_end}"


class ResultStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    ADJUSTED = "adjusted", "已调整"
    CLOSED = "closed", "逾期未确认，按初评生效"


class EvaluationResult(models.Model):
    """The initial rating of one enterprise in one run, and what its responsible organization decided.

    The foreign keys carry no database constraint (`db_constraint=False`): result rows are written only by the
    evaluation's INSERT … SELECT from the enterprise table, inside the transaction that inserts their run, so
    they cannot point nowhere; and on PostgreSQL the deferred check of four keys on a million rows at commit
    cost more than the whole evaluation (11.6 s of 26 s measured at 1,000,000 enterprises). Enterprises and
    organizations are never deleted (PROTECT everywhere else).

    On PostgreSQL the table is partitioned by run (migration 0007, ciqcredit.rating.partitions): each run's rows
    are written into a table of their own, indexed once after the write and attached as the run's partition.
    Only the evaluation inserts result rows.
    """

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.DO_NOTHING, related_name="results", db_index=False, db_constraint=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.DO_NOTHING,
        related_name="evaluation_results",
        db_index=False,
        db_constraint=False,
    )
    # The responsible organization: the registering organization at the time of the run.
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    points = models.PositiveIntegerField("计分")
    records_counted = models.PositiveIntegerField("计分记录数")
    previous_grade = models.CharField("上一等级", max_length=2, blank=True)
    serious_listed = models.BooleanField("严重失信名单内", default=False)
    is_new = models.BooleanField("新企业", default=False)
    had_business = models.BooleanField("本周期有业务", default=True)
    rule = models.CharField("评定规则", max_length=30)
    initial_grade = models.CharField("初评等级", max_length=2, choices=GRADE_CHOICES)
    status = models.CharField(max_length=10, choices=ResultStatus.choices, default=ResultStatus.PENDING)
    final_grade = models.CharField("生效等级", max_length=2, blank=True)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    unconfirmed = models.BooleanField("未经确认（督查统计）", default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    decided_by_label = models.CharField(max_length=150, blank=True)
    reason = models.TextField("调整理由", blank=True)
    # Set by the conditional UPDATE that claims rows for one decision, so the grade rows follow exactly those.
    claim = models.CharField(max_length=32, blank=True)

    class Meta:
        app_label = "rating"
        verbose_name = "评定结果"
        verbose_name_plural = "评定结果"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "run"], name="result_enterprise_run_unique"),
        ]
        # The worklist filters by run, organization subtree, status and initial grade; the per-grade counts of a
        # run read this index only on SQLite.
        indexes = [
            models.Index(fields=["run", "organization", "status", "initial_grade"], name="result_worklist_grade_idx")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.enterprise_id} {self.initial_grade}"

    @property
    def rule_label(self) -> str:
        from ciqcredit.rules.grading import PERIODIC_RULE_LABELS

        return PERIODIC_RULE_LABELS.get(self.rule, self.rule)

    @property
    def grade_in_effect(self) -> str:
        return self.final_grade or ""
