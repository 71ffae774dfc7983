"""Grades over time. Every change is a row; the current grade is kept beside it for the hot path.

`GradeChange` is the history ("grade of X on date D" is one query on it). `CurrentGrade` is the latest
change per enterprise, written in the same transaction, so e-CIQ's per-declaration question is one
primary-key lookup.
"""

from django.conf import settings
from django.db import models

GRADE_CHOICES = [("AA", "AA级"), ("A", "A级"), ("B", "B级"), ("C", "C级"), ("D", "D级")]


class GradeCause(models.TextChoices):
    PERIODIC = "periodic", "周期评定"
    ADJUSTMENT = "adjustment", "评定结果调整"
    DYNAMIC_DOWNGRADE = "dynamic_downgrade", "动态管理即时降级"
    LISTING = "listing", "列入严重失信企业名单"
    REMOVAL = "removal", "移出严重失信企业名单"
    AA_BATCH = "aa_batch", "总局AA级企业批次"
    AA_LOST = "aa_lost", "丧失AA级"
    INITIAL = "initial", "初始等级（新备案企业）"
    REVERSAL = "reversal", "失信信息撤销后恢复等级"


class GradeChange(models.Model):
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="grade_changes")
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    previous_grade = models.CharField(max_length=2, choices=GRADE_CHOICES, blank=True)
    controlled = models.BooleanField("布控", default=False)
    cause = models.CharField(max_length=20, choices=GradeCause.choices)
    effective_from = models.DateField()
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    # What decided it: a person (confirmation, adjustment, approval) or a job; and the evidence.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_label = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    # Links to what produced it, by dotted type and id (evaluation result, dynamic case, notice, AA batch).
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    notice_number = models.CharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "等级变更"
        verbose_name_plural = "等级变更"
        indexes = [
            models.Index(fields=["enterprise", "effective_from", "id"], name="grade_change_on_idx"),
            # The change a source produced (an evaluation result, a dynamic case, an AA batch): set-based paths
            # join back on it.
            models.Index(fields=["source_type", "source_id"], name="grade_change_source_idx"),
            # Serious-list state at a date for every enterprise at once: only the (few) listing/removal rows.
            models.Index(
                fields=["enterprise", "effective_from", "id"],
                name="grade_change_listing_idx",
                condition=models.Q(cause__in=["listing", "removal"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.grade} from {self.effective_from}"


class CurrentGrade(models.Model):
    """The latest grade of each rated enterprise (a copy of its last GradeChange)."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", primary_key=True, on_delete=models.PROTECT, related_name="current_grade"
    )
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    controlled = models.BooleanField(default=False)
    effective_from = models.DateField()
    cause = models.CharField(max_length=20, choices=GradeCause.choices)
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    change = models.ForeignKey(GradeChange, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["grade"], name="current_grade_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.grade}"
