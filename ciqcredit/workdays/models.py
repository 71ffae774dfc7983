"""The working-day calendar and the tracked deadlines computed from it.

Storage choice: only the days a published schedule *names* are stored (`CalendarDay`): every holiday
day, including those that fall on a weekend (so 2017-10-01, a Sunday, is stored as 国庆节), and every
make-up workday (调休上班, always a Saturday or Sunday). Any other day of a covered year is a workday
exactly when it is Monday–Friday. A year is covered when it has a `ScheduleYear` row; days of a year
without one are assumed Mon–Fri workdays and every result that depends on them is provisional.
"""

from django.conf import settings
from django.db import models


class ScheduleSource(models.TextChoices):
    CHINESE_CALENDAR = "chinese-calendar", "平台内置节假日安排"
    OFFICIAL = "official", "国务院办公厅通知（管理员装载）"


class ScheduleYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=20, choices=ScheduleSource.choices)
    loaded_at = models.DateTimeField("装载时间")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    loaded_by_label = models.CharField("装载人", max_length=150)  # username or "system:<job>"
    notes = models.CharField("说明", max_length=500, blank=True)  # e.g. the State Council notice number
    holiday_count = models.PositiveSmallIntegerField("节假日天数", default=0)
    makeup_count = models.PositiveSmallIntegerField("调休上班天数", default=0)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排（{self.get_source_display()}）"


class CalendarDay(models.Model):
    """A day the schedule of its year names: a holiday, or a weekend day that is a make-up workday."""

    schedule = models.ForeignKey(ScheduleYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班")
    name = models.CharField("节日名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date} {kind} {self.name}".strip()


class CalendarRevision(models.Model):
    """One row whose token changes with every change to the calendar, in the same transaction.

    Each process caches the calendar under the token it read; a different token means reload. A fresh
    random token (rather than a counter) also stays correct when a transaction that changed the
    calendar is rolled back.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "日历版本"
        verbose_name_plural = "日历版本"

    def __str__(self) -> str:
        return f"{self.token} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class DeadlineUnit(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class Deadline(models.Model):
    """A tracked due date: `days` `unit` counted from `start`. Other apps hold a FK to it."""

    kind = models.CharField("期限类别", max_length=100, db_index=True)  # dotted code, e.g. collection.entry
    target_type = models.CharField(max_length=100)  # app_label.model, as in the audit log
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("起算日")
    days = models.PositiveIntegerField("天数")
    unit = models.CharField("单位", max_length=10, choices=DeadlineUnit.choices)
    due_on = models.DateField("截止日", db_index=True)
    # True while the count touches a year whose holiday schedule is not loaded yet.
    provisional = models.BooleanField("临时结果", default=False)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)  # null while open
    closed_on = models.DateField("完成日期", null=True, blank=True)  # the business date the duty was done

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="deadline_target_idx"),
            models.Index(fields=["provisional", "closed_at"], name="deadline_provisional_idx"),
        ]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        # Read on pages (the audit log's object column): the target as people name it, not codes.
        return f"{self.target_label or '期限'} 截止 {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def met(self) -> bool | None:
        """Closed on or before the due date; None while open."""
        return None if self.closed_on is None else self.closed_on <= self.due_on
