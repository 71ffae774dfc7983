"""The change feed (变更流): what integrating systems follow to learn that a grade, 布控 or a list changed.

One row per event of a grade change (a listing is at once a grade change, 布控 set and a serious-list entry:
three rows sharing the change). The row id is the cursor. Every writer takes one transaction-level lock
before inserting (ciqcredit.rating.feed), so ids are handed out in commit order: a reader that follows
`id > cursor` never misses a row that commits later with a smaller id.
"""

from django.db import models


class FeedKind(models.TextChoices):
    GRADE_CHANGED = "grade_changed", "信用等级变更"
    CONTROL_SET = "control_set", "实施布控"
    CONTROL_CLEARED = "control_cleared", "解除布控"
    SERIOUS_LISTED = "serious_listed", "列入严重失信企业名单"
    SERIOUS_REMOVED = "serious_removed", "移出严重失信企业名单"
    AA_GRANTED = "aa_granted", "获得AA级"
    AA_LOST = "aa_lost", "丧失AA级"


class ChangeFeedEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField("变更类别", max_length=20, choices=FeedKind.choices)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    grade = models.CharField("等级", max_length=2)
    previous_grade = models.CharField("原等级", max_length=2, blank=True)
    controlled = models.BooleanField("布控")
    cause = models.CharField("变更原因", max_length=20)
    effective_from = models.DateField("生效日期")
    change = models.ForeignKey("rating.GradeChange", on_delete=models.PROTECT, related_name="feed_entries")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        app_label = "rating"
        verbose_name = "变更流"
        verbose_name_plural = "变更流"
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "id"], name="change_feed_kind_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.credit_code}"
