"""Supervision and self-inspection (§六 督查和自查): plans, inspection sheets, findings, rectification, circulars.

An `InspectionPlan` is run by one organization (HQ over bureaus, a bureau over its branches, or an office over
itself) for a period, with a published checklist version and the items the organization adds. Each office
inspected gets an `InspectionSheet`, pre-filled with its figures (ciqcredit.oversight.figures) as a snapshot;
the inspector judges every `SheetItem`. Each 不符合 becomes a `RectificationTask` for the office, with a
deadline; the office answers, the inspector accepts or returns. A closed plan produces a numbered
`Circular` (通报), rendered as PDF and DOCX from its content snapshot. Only the services change these rows.
"""

from django.conf import settings
from django.db import models

from ciqcredit.audit.models import Transition
from ciqcredit.catalogue.choices import ChecklistQuestion, PlanKind


class PlanMode(models.TextChoices):
    INSPECTION = "inspection", "督查"
    SELF = "self", "自查"


class PlanStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Verdict(models.TextChoices):
    COMPLIANT = "compliant", "符合"
    BASIC = "basic", "基本符合"
    NONCOMPLIANT = "noncompliant", "不符合"


class SheetStatus(models.TextChoices):
    OPEN = "open", "检查中"
    SUBMITTED = "submitted", "已提交"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待整改"
    ANSWERED = "answered", "已报送整改情况，待验收"
    RETURNED = "returned", "验收退回，重新整改"
    ACCEPTED = "accepted", "已验收"


TASK_OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.ANSWERED, TaskStatus.RETURNED)


class InspectionPlan(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="组织单位"
    )
    mode = models.CharField("方式", max_length=12, choices=PlanMode.choices)
    kind = models.CharField("类别", max_length=12, choices=PlanKind.choices)
    title = models.CharField("计划名称", max_length=200)
    period_start = models.DateField("督查期间起")
    period_end = models.DateField("督查期间止")
    checklist = models.ForeignKey(
        "catalogue.ChecklistVersion", on_delete=models.PROTECT, related_name="+", verbose_name="检查表版本"
    )
    # The items the organizing office adds to the published checklist: [{"code", "title", "standard"}].
    extra_items = models.JSONField("本单位增加的检查项目", default=list, blank=True)
    offices = models.ManyToManyField("organizations.Organization", related_name="+", verbose_name="被检查单位")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name="检查人员")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    # Set for plans a published schedule opened: "<kind>:<mode>:<org code>:<period start>", one plan each.
    schedule_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    created_by_label = models.CharField(max_length=150)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "督查计划"
        verbose_name_plural = "督查计划"
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectionSheet(models.Model):
    """One office's inspection sheet in a plan, with the figures of the office and period as a snapshot."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="sheets")
    office = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField("督查数据（预填）", default=dict)
    status = models.CharField("状态", max_length=10, choices=SheetStatus.choices, default=SheetStatus.OPEN)
    conclusion = models.TextField("检查结论", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "督查检查表"
        verbose_name_plural = "督查检查表"
        ordering = ["plan", "office__path"]
        constraints = [models.UniqueConstraint(fields=["plan", "office"], name="oversight_sheet_unique")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.office.name}"


class SheetItem(models.Model):
    sheet = models.ForeignKey(InspectionSheet, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("项目编号", max_length=20)
    question = models.CharField("督查事项", max_length=20, choices=ChecklistQuestion.choices)
    title = models.CharField("检查内容", max_length=300)
    standard = models.TextField("评判标准", blank=True)
    verdict = models.CharField("检查结果", max_length=14, choices=Verdict.choices, blank=True)
    notes = models.TextField("检查情况", blank=True)
    judged_at = models.DateTimeField(null=True, blank=True)
    judged_by_label = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "督查检查项目"
        verbose_name_plural = "督查检查项目"
        ordering = ["sheet", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Evidence(models.Model):
    """An evidence file: its stored name, the name it was uploaded under, by whom and when."""

    name = models.CharField(max_length=200)
    uploaded_by_label = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class SheetEvidence(Evidence):
    item = models.ForeignKey(SheetItem, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="oversight/evidence/%Y/")

    class Meta:
        verbose_name = "督查证明材料"
        verbose_name_plural = "督查证明材料"


class RectificationTask(models.Model):
    """A finding (a 不符合 item) and the office's rectification of it."""

    item = models.OneToOneField(SheetItem, on_delete=models.PROTECT, related_name="task")
    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="tasks")
    office = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="整改单位"
    )
    finding = models.TextField("问题")
    deadline = models.OneToOneField(
        "workdays.Deadline", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    answer = models.TextField("整改情况", blank=True)
    answered_on = models.DateField("报送日期", null=True, blank=True)
    decision_reason = models.TextField("验收意见", blank=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["office", "status", "due_on"], name="oversight_task_office_idx")]

    def __str__(self) -> str:
        return f"整改 #{self.pk} {self.finding[:20]}"


class TaskTransition(Transition):
    task = models.ForeignKey(RectificationTask, on_delete=models.PROTECT, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = "整改任务状态变更"
        verbose_name_plural = "整改任务状态变更"

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return TaskStatus(self.to_status).label


class TaskEvidence(Evidence):
    task = models.ForeignKey(RectificationTask, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="oversight/rectification/%Y/")

    class Meta:
        verbose_name = "整改证明材料"
        verbose_name_plural = "整改证明材料"


class Circular(models.Model):
    """The circular (通报) of a closed plan: numbered gap-free per issuing organization and year, kept."""

    plan = models.OneToOneField(InspectionPlan, on_delete=models.PROTECT, related_name="circular")
    number = models.CharField("通报编号", max_length=40, unique=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    content = models.JSONField("通报内容")
    published_at = models.DateTimeField("发布时间")
    published_by_label = models.CharField(max_length=150)

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "serial"], name="oversight_circular_serial_unique")
        ]

    def __str__(self) -> str:
        return self.number


class CircularSerial(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "督查通报编号"
        verbose_name_plural = "督查通报编号"
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="oversight_circular_year_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} #{self.last}"
