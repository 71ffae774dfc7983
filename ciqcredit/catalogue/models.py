"""Rules as published data: three kinds of versioned documents sharing one lifecycle.

- `CatalogueVersion` + `CatalogueItem`: the credit information items (信用信息采集条目) and their points.
- `RuleSetVersion`: the rating rule set (`params`, validated by ciqcredit.rules.params.RuleSetParams) with
  its example cases (`cases_yaml`, run by ciqcredit.rules.cases before publication).
- `MeasureListVersion` + `Measure`: the differentiated measures per grade (差异化检验检疫措施).

Each kind is numbered 1, 2, 3… on its own. Lifecycle: draft → in_review → published, and in_review → draft
when returned with a reason. A published version is immutable (services refuse with `version_published`);
a correction is a new version copied from it (`based_on`). At most one open (draft or in review) version
per kind. Every transition is a `VersionTransition` row plus an audit row. Only services change these rows.

Choices made here:
- Actors are a nullable user FK plus a text label, because the reference loader and the `rules` command act
  as system actors that have no user row.
- `VersionTransition` is one table for the three kinds (kind + version pk) so the history page and the
  notices that later read it have one place to look.
- Item and measure rows keep a `position`, so a published list reads in the order HQ published it.
"""

from functools import cached_property
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from ciqcredit.catalogue.choices import (
    PRECEDENCE_LABELS,
    PRECEDENCE_RULES,
    REFERENCE_LABEL,
    REFERENCE_PRECEDENCE,
    AssociationKind,
    Category,
    ChecklistQuestion,
    Collection,
    DocumentReview,
    Kind,
    MeasureArea,
    MeasureGrade,
    PartnerListKind,
    Stage,
    Status,
)
from ciqcredit.enterprises.types import EnterpriseType, decode_types
from ciqcredit.rules.params import RuleSetParams


class RulesVersion(models.Model):
    """The lifecycle shared by the three kinds of published rules."""

    KIND: ClassVar[str]

    number = models.PositiveIntegerField("版本号", unique=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField("标题", max_length=200, blank=True)
    notes = models.TextField("说明", blank=True)
    is_reference = models.BooleanField("参考值", default=False)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="复制自版本"
    )
    effective_from = models.DateField("生效日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by_label = models.CharField(max_length=150)
    created_at = models.DateTimeField("创建时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by_label = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_by_label = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{Kind(self.KIND).label} 第{self.number}版"

    @property
    def kind(self) -> str:
        return self.KIND

    @property
    def kind_label(self) -> str:
        return Kind(self.KIND).label

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def reference_label(self) -> str:
        return REFERENCE_LABEL if self.is_reference else ""


class CatalogueVersion(RulesVersion):
    KIND = Kind.CATALOGUE.value

    class Meta(RulesVersion.Meta):
        verbose_name = "信用信息采集条目版本"
        verbose_name_plural = "信用信息采集条目版本"


class CatalogueItem(models.Model):
    version = models.ForeignKey(CatalogueVersion, on_delete=models.PROTECT, related_name="items")
    editable: bool  # not a field: set by the version page for its template
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("条目编号", max_length=20)
    name = models.CharField("条目名称", max_length=200)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    description = models.TextField("失信行为描述", blank=True)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    points = models.PositiveIntegerField("失信计分")
    serious = models.BooleanField("严重失信行为", default=False)
    enters_blacklist = models.BooleanField("直接列入严重失信企业名单", default=False)
    enterprise_types = models.CharField("适用企业类型", max_length=400, blank=True)  # ';importer;'; empty = all
    department = models.CharField("主管业务司局", max_length=50)
    collection = models.CharField("采集方式", max_length=20, choices=Collection.choices)
    stage = models.CharField("采集环节", max_length=20, choices=Stage.choices, blank=True)  # "": none (manual)
    association_kind = models.CharField("业务关联号", max_length=20, choices=AssociationKind.choices)
    declarant_required = models.BooleanField("须录入报检员备案号", default=False)

    class Meta:
        verbose_name = "信用信息采集条目"
        verbose_name_plural = "信用信息采集条目"
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogue_item_code_unique"),
            # e-CIQ items name their stage; manual items have none (see validation.py).
            models.CheckConstraint(
                condition=Q(collection=Collection.MANUAL, stage="") | (~Q(collection=Collection.MANUAL) & ~Q(stage="")),
                name="catalogue_item_stage_iff_eciq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def type_slugs(self) -> list[str]:
        return decode_types(self.enterprise_types)

    @property
    def type_labels(self) -> list[str]:
        return [EnterpriseType(slug).label for slug in self.type_slugs]

    def applies_to(self, type_slugs: list[str] | tuple[str, ...]) -> bool:
        """True when the item applies to an enterprise holding any of these types (empty: all types)."""
        mine = self.type_slugs
        return not mine or any(slug in mine for slug in type_slugs)


class RuleSetVersion(RulesVersion):
    KIND = Kind.RULESET.value

    params = models.JSONField("评定参数", default=dict)
    cases_yaml = models.TextField("规则测试用例（YAML）", blank=True)

    class Meta(RulesVersion.Meta):
        verbose_name = "信用等级评定规则版本"
        verbose_name_plural = "信用等级评定规则版本"

    @cached_property
    def rule_params(self) -> RuleSetParams:
        """The typed parameters. Stored params were validated on every write, so this does not fail."""
        return RuleSetParams.model_validate(self.params)


def reference_precedence() -> dict[str, str]:
    return dict(REFERENCE_PRECEDENCE)


class MeasureListVersion(RulesVersion):
    KIND = Kind.MEASURES.value

    # How measures that meet in one decision combine (choices.PRECEDENCE_RULES); published with the list.
    precedence = models.JSONField("措施竞合规则", default=reference_precedence)

    class Meta(RulesVersion.Meta):
        verbose_name = "差异化措施版本"
        verbose_name_plural = "差异化措施版本"

    @property
    def precedence_labels(self) -> list[str]:
        rules = {**REFERENCE_PRECEDENCE, **(self.precedence or {})}
        return [f"{PRECEDENCE_LABELS[k]}：{PRECEDENCE_RULES[k](v).label}" for k, v in rules.items()]

    def measures_for(self, grade: str) -> list["Measure"]:
        return [m for m in self.measures.all() if m.grade == grade]

    def sampling_ratio(self, grade: str):
        """The inspection sampling ratio for a grade (Decimal), or None when the list sets none."""
        for measure in self.measures_for(grade):
            if measure.sampling_ratio is not None:
                return measure.sampling_ratio
        return None

    def visit_frequency(self, grade: str) -> int | None:
        """Daily-supervision visits per year for a grade, or None when the list sets none."""
        for measure in self.measures_for(grade):
            if measure.visit_frequency is not None:
                return measure.visit_frequency
        return None


class DecisionParameters(models.Model):
    """The typed parameters of a release decision a measure may set (empty / None: it does not set it), shared by
    the measure list's measures and the joint measures, with their labels as people read them."""

    sampling_ratio = models.DecimalField("抽批比例", max_digits=5, decimal_places=4, null=True, blank=True)
    document_review = models.CharField("审单方式", max_length=12, choices=DocumentReview.choices, blank=True)
    priority = models.BooleanField("优先办理", null=True, blank=True)
    green_channel = models.BooleanField("绿色通道", null=True, blank=True)
    paperless = models.BooleanField("无纸化", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def sampling_percent(self) -> str:
        if self.sampling_ratio is None:
            return ""
        return f"{(self.sampling_ratio * 100).normalize():f}%"

    def other_parameter_labels(self) -> list[str]:
        """Labels of a kind's own parameters, shown after the sampling rate."""
        return []

    @property
    def parameter_labels(self) -> list[str]:
        """The typed parameters this measure sets, as people read them (抽批比例 30%, 常规审核, 绿色通道…)."""
        labels = [f"抽批比例 {self.sampling_percent}"] if self.sampling_ratio is not None else []
        labels += self.other_parameter_labels()
        if self.document_review:
            labels.append(self.get_document_review_display())
        for name, label in (("priority", "优先办理"), ("green_channel", "绿色通道"), ("paperless", "无纸化")):
            value = getattr(self, name)
            if value is not None:
                labels.append(label if value else f"不适用{label}")
        return labels


class Measure(DecisionParameters):
    version = models.ForeignKey(MeasureListVersion, on_delete=models.PROTECT, related_name="measures")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("措施编号", max_length=30)
    grade = models.CharField("适用等级", max_length=12, choices=MeasureGrade.choices)
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    title = models.CharField("措施名称", max_length=200)
    description = models.TextField("措施内容", blank=True)
    visit_frequency = models.PositiveSmallIntegerField("年度监管频次（次/年）", null=True, blank=True)

    class Meta:
        verbose_name = "差异化措施"
        verbose_name_plural = "差异化措施"
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="measure_code_unique"),
            models.CheckConstraint(
                condition=Q(sampling_ratio__isnull=True) | Q(sampling_ratio__gte=0, sampling_ratio__lte=1),
                name="measure_sampling_ratio_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def other_parameter_labels(self) -> list[str]:
        return [f"现场检查 {self.visit_frequency}次/年"] if self.visit_frequency is not None else []


class ChecklistVersion(RulesVersion):
    """The supervision checklist (§六 督查检查表) and the schedule of plans it calls for, published by HQ.

    `schedule` lists the plans the platform opens by itself (`ciqcredit supervision open_plans`), each
    `{"kind": "quarterly"|"half_year"|"annual", "inspector_level": "hq"|"bureau", "mode": "inspection"|
    "self", "open_after_days": N}`: after each period of the kind ends, every organization of the level opens
    one plan over the offices below it (or over itself for a self-inspection), N calendar days later.
    """

    KIND = Kind.CHECKLIST.value

    schedule = models.JSONField("督查计划安排", default=list, blank=True)
    rectification_days = models.PositiveIntegerField("整改期限（自然日）", default=30)

    class Meta(RulesVersion.Meta):
        verbose_name = "督查检查表版本"
        verbose_name_plural = "督查检查表版本"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="checklist_items")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("项目编号", max_length=20)
    question = models.CharField("督查事项", max_length=20, choices=ChecklistQuestion.choices)
    title = models.CharField("检查内容", max_length=300)
    standard = models.TextField("评判标准", blank=True)

    class Meta:
        verbose_name = "督查检查项目"
        verbose_name_plural = "督查检查项目"
        ordering = ["version", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="checklist_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class JointMeasureVersion(RulesVersion):
    """联合奖惩措施 (§五(三)): which partner list leads to which measures in which area. A release decision applies
    the version in force to every party on such a list, by the measure list's precedence (application.combine)."""

    KIND = Kind.JOINT.value

    class Meta(RulesVersion.Meta):
        verbose_name = "联合奖惩措施版本"
        verbose_name_plural = "联合奖惩措施版本"


class JointMeasure(DecisionParameters):
    """One joint measure: for a party on the partner list `list_code`, in `area`, these typed parameters.

    `for_classes` names the measure classes (grades, controlled, unregistered) the measure reaches; empty: every
    party on the list. A reward reaches only parties all of whose classes are named (a controlled or D party
    keeps its punishment).
    """

    version = models.ForeignKey(JointMeasureVersion, on_delete=models.PROTECT, related_name="joint_measures")
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("措施编号", max_length=30)
    list_code = models.CharField("合作部门名单代码", max_length=40)
    list_title = models.CharField("名单名称", max_length=100)
    list_kind = models.CharField("名单类别", max_length=12, choices=PartnerListKind.choices)
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    title = models.CharField("措施名称", max_length=200)
    description = models.TextField("措施内容", blank=True)
    for_classes = models.JSONField("适用等级", default=list, blank=True)

    class Meta:
        verbose_name = "联合奖惩措施"
        verbose_name_plural = "联合奖惩措施"
        ordering = ["version", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="joint_measure_code_unique"),
            models.CheckConstraint(
                condition=Q(sampling_ratio__isnull=True) | Q(sampling_ratio__gte=0, sampling_ratio__lte=1),
                name="joint_measure_sampling_ratio_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def class_labels(self) -> str:
        labels = dict(MeasureGrade.choices)
        return "、".join(labels.get(c, c) for c in self.for_classes) or "名单内全部企业"


class VersionTransition(models.Model):
    """One step of a version's lifecycle (creation has from_status ""). The history, and the outbox."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    version_id = models.BigIntegerField()  # pk of the CatalogueVersion / RuleSetVersion / MeasureListVersion
    number = models.PositiveIntegerField()
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        verbose_name = "版本状态变更"
        verbose_name_plural = "版本状态变更"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "version_id", "at"], name="catalogue_transition_idx")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.number}: {self.from_status or '∅'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label

    @property
    def from_label(self) -> str:
        return Status(self.from_status).label if self.from_status else "新建"


# The concrete kinds, so that `.objects` and a kind's own fields type-check once narrowed (isinstance).
VersionModel = (
    type[CatalogueVersion]
    | type[RuleSetVersion]
    | type[MeasureListVersion]
    | type[ChecklistVersion]
    | type[JointMeasureVersion]
)
VERSION_MODELS: dict[str, VersionModel] = {
    Kind.CATALOGUE: CatalogueVersion,
    Kind.RULESET: RuleSetVersion,
    Kind.MEASURES: MeasureListVersion,
    Kind.CHECKLIST: ChecklistVersion,
    Kind.JOINT: JointMeasureVersion,
}
