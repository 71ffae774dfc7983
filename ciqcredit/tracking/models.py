"""Tracking that measures were carried out (跟踪落实, §五(二)).

e-CIQ reports how each release decision was carried out (`Execution`, one per decision, updated in place
when re-sent). The daily job compares prescribed with executed and keeps each difference as a `Deviation`
(one per decision and kind), and each monthly cell whose share inspected lies outside the binomial tolerance
as a `CellFlag`. Deviations and flags about one organization, area and month are grouped into one
`TrackingItem` (执行不到位), which the organization answers, its bureau forwards and the HQ business
department owning the area closes or returns; every step is an `ItemTransition` row.
"""

from django.conf import settings
from django.db import models

from ciqcredit.audit.models import Transition
from ciqcredit.catalogue.choices import DocumentReview, MeasureArea


class Outcome(models.TextChoices):
    RELEASED = "released", "放行"
    PASSED = "passed", "查验合格"
    FAILED = "failed", "查验不合格"
    RETURNED = "returned", "退单"


class Execution(models.Model):
    """What e-CIQ reports was done with a decided declaration."""

    decision = models.OneToOneField(
        "application.Decision", primary_key=True, on_delete=models.PROTECT, related_name="+", verbose_name="放行决定"
    )
    eciq_id = models.CharField("e-CIQ 编号", max_length=40)
    executed_on = models.DateField("执行日期")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="执行机构"
    )
    inspected = models.BooleanField("已查验")
    document_review = models.CharField("审单方式", max_length=12, choices=DocumentReview.choices)
    priority_given = models.BooleanField("已优先办理")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    received_at = models.DateTimeField("首次报送时间")
    updated_at = models.DateTimeField("最后更新时间")

    class Meta:
        verbose_name = "执行情况"
        verbose_name_plural = "执行情况"
        # The daily check reads only the reports written or changed since its last run.
        indexes = [models.Index(fields=["updated_at"], name="execution_updated_idx")]

    def __str__(self) -> str:
        return f"执行情况 {self.eciq_id}"


class DeviationKind(models.TextChoices):
    INSPECTED_NOT_DRAWN = "inspected_not_drawn", "抽签放行却实施查验（未给予便利）"
    RELEASED_NOT_INSPECTED = "released_not_inspected", "抽中查验却直接放行"
    REVIEW_STRICTER = "review_stricter", "审单严于规定"
    REVIEW_LOOSER = "review_looser", "审单宽于规定"
    PRIORITY_NOT_GIVEN = "priority_not_given", "应优先办理而未优先"
    NOT_REPORTED = "not_reported", "逾期未报送执行情况"


class ItemStatus(models.TextChoices):
    OPEN = "open", "待说明整改"
    ANSWERED = "answered", "待直属局审核"
    FORWARDED = "forwarded", "已反馈总局"
    CLOSED = "closed", "已关闭"


class TrackingItem(models.Model):
    """执行不到位: one organization's deviations in one area and month, carried to the HQ department."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="执行机构"
    )
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    month = models.DateField("月份")  # the first day of the month
    department = models.CharField("主管业务司局", max_length=50)
    status = models.CharField("状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    due_on = models.DateField("当前环节期限")
    raised_at = models.DateTimeField("生成时间")
    cause = models.TextField("原因", blank=True)
    rectification = models.TextField("整改措施", blank=True)
    review_note = models.TextField("直属局审核意见", blank=True)
    hq_note = models.TextField("总局意见", blank=True)

    class Meta:
        verbose_name = "执行不到位事项"
        verbose_name_plural = "执行不到位事项"
        constraints = [
            models.UniqueConstraint(fields=["organization", "area", "month"], name="tracking_item_org_area_month")
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="tracking_item_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月} {self.get_area_display()}执行不到位"


class Deviation(models.Model):
    decision = models.ForeignKey("application.Decision", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField("偏差类型", max_length=24, choices=DeviationKind.choices)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    month = models.DateField("月份")
    found_at = models.DateTimeField("发现时间")
    item = models.ForeignKey(TrackingItem, null=True, on_delete=models.PROTECT, related_name="deviations")

    class Meta:
        verbose_name = "执行偏差"
        verbose_name_plural = "执行偏差"
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="deviation_decision_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.decision_id}"


class CellFlag(models.Model):
    """A monthly cell (organization × grade × area × month) whose share inspected is outside tolerance."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("等级", max_length=2, blank=True)
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    month = models.DateField("月份")
    decisions = models.PositiveIntegerField("已报送决定数")
    inspected = models.PositiveIntegerField("实际查验数")
    expected = models.FloatField("按规定比例应查验数")
    tolerance = models.FloatField("容许偏差（批次）")
    found_at = models.DateTimeField("发现时间")
    item = models.ForeignKey(TrackingItem, null=True, on_delete=models.PROTECT, related_name="cells")

    class Meta:
        verbose_name = "查验比例偏差"
        verbose_name_plural = "查验比例偏差"
        constraints = [
            models.UniqueConstraint(fields=["organization", "grade", "area", "month"], name="cell_flag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.grade or '无等级'} {self.inspected}/{self.decisions}"


class ItemTransition(Transition):
    item = models.ForeignKey(TrackingItem, on_delete=models.PROTECT, related_name="transitions")
    due_on = models.DateField("下一环节期限", null=True)

    class Meta(Transition.Meta):
        verbose_name = "执行不到位事项流转"
        verbose_name_plural = "执行不到位事项流转"


class CheckMark(models.Model):
    """How far the daily check has read (one row), advanced in the transaction that writes its findings.

    A run reads only what is new since: execution reports written or changed after `executions_until` (less
    a margin for reports whose transaction was still open), decisions added after `decision_id` or whose
    report deadline passed after `report_cutoff`, and the monthly cells of months from `cells_before` on (and
    of earlier months that new reports changed).
    """

    executions_until = models.DateTimeField("执行情况已检查至")
    decision_id = models.BigIntegerField("已检查的最大放行决定编号")
    report_cutoff = models.DateField("未报送已检查至业务日期")
    cells_before = models.DateField("查验比例已判定月份（此前）")
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        verbose_name = "跟踪落实检查进度"
        verbose_name_plural = "跟踪落实检查进度"

    def __str__(self) -> str:
        return f"跟踪落实检查进度 {self.checked_at:%Y-%m-%d %H:%M}"
