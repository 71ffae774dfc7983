"""The stable slugs of the rules: kinds of published documents, their lifecycle, and item/measure vocabularies.

Slugs are part of the API contract (issue 3); Chinese labels are what users read.
"""

from django.db import models


class Kind(models.TextChoices):
    CATALOGUE = "catalogue", "信用信息采集条目"
    RULESET = "ruleset", "信用等级评定规则"
    MEASURES = "measures", "差异化检验检疫措施"
    CHECKLIST = "checklist", "督查检查表"
    JOINT = "joint", "联合奖惩措施"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    PUBLISHED = "published", "已发布"
    DISCARDED = "discarded", "已废弃"  # a draft nobody wants: kept with its number and history, never published


OPEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
# The kinds exchanged as YAML/XLSX documents (`ciqcredit rules export|import`); the supervision checklist is
# edited through its own content service (catalogue.checklist) and shares only the lifecycle.
RULE_KINDS = (Kind.CATALOGUE.value, Kind.RULESET.value, Kind.MEASURES.value)


class Category(models.TextChoices):
    BASIC = "basic", "基本信息"
    LAW_ABIDING = "law_abiding", "守法信息"
    QUALITY_MANAGEMENT = "quality_management", "质量管理能力"
    PRODUCT_QUALITY = "product_quality", "产品质量安全"
    SUPERVISION = "supervision", "检验检疫监管"
    SOCIAL_EVALUATION = "social_evaluation", "社会评价"
    OTHER = "other", "其他"


class Collection(models.TextChoices):
    """§三(二): collected automatically, automatically but judged by a person, or manually."""

    AUTO = "auto", "自动采集（e-CIQ）"
    AUTO_CONFIRM = "auto_confirm", "自动采集、人工确认（e-CIQ）"
    MANUAL = "manual", "人工采集"


class Stage(models.TextChoices):
    """§三(五)3: the e-CIQ stage where the record was registered, which says who confirms it."""

    DECLARATION = "declaration", "报检环节（检务部门确认）"
    INSPECTION = "inspection", "施检环节（施检部门确认）"


class AssociationKind(models.TextChoices):
    """§三(七): which business association number (业务关联号) a record of the item carries."""

    DECLARATION = "declaration", "报检号/证书号"
    PENALTY = "penalty", "处罚文书号（案件编号）"
    GENERATED_J = "generated_j", "自动编号 J（其他日常监管）"
    GENERATED_W = "generated_w", "自动编号 W（其他监管部门及社会评价）"


class MeasureGrade(models.TextChoices):
    AA = "AA", "AA级"
    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"
    D = "D", "D级"
    CONTROLLED = "controlled", "布控（动态管理）"
    UNREGISTERED = "unregistered", "未备案企业"


GRADE_ORDER = ("AA", "A", "B", "C", "D")  # best first: the lowest grade is the last


class PartnerListKind(models.TextChoices):
    """A partner regulator's list: a reward (守信) or a punishment (失信) list (§五(三) 联合奖惩)."""

    REWARD = "reward", "守信激励名单"
    PUNISHMENT = "punishment", "失信惩戒名单"


class DocumentReview(models.TextChoices):
    """How the documents of a declaration are reviewed, loosest first (the order is the strictness)."""

    WAIVED = "waived", "免审"
    SIMPLIFIED = "simplified", "简化审核"
    STANDARD = "standard", "常规审核"
    FULL = "full", "逐批全面审核"


REVIEW_ORDER = tuple(DocumentReview.values)


class RateRule(models.TextChoices):
    HIGHEST = "highest", "取最高比例（最严者优先）"
    LOWEST = "lowest", "取最低比例"


class ReviewRule(models.TextChoices):
    STRICTEST = "strictest", "取最严审单方式"
    LOOSEST = "loosest", "取最宽审单方式"


class FacilitationRule(models.TextChoices):
    ALL_PARTIES = "all_parties", "各方均符合时才给予便利"
    ANY_PARTY = "any_party", "任一方符合即给予便利"


# The published precedence when several measures meet in one decision; the reference value is the strictest.
REFERENCE_PRECEDENCE = {
    "sampling_rate": RateRule.HIGHEST.value,
    "document_review": ReviewRule.STRICTEST.value,
    "facilitation": FacilitationRule.ALL_PARTIES.value,
}
PRECEDENCE_RULES = {"sampling_rate": RateRule, "document_review": ReviewRule, "facilitation": FacilitationRule}
PRECEDENCE_LABELS = {"sampling_rate": "抽批比例", "document_review": "审单方式", "facilitation": "便利措施"}


class MeasureArea(models.TextChoices):
    """§五(一): the four areas of differentiated measures (日常监管 keeps the slug published with the first lists)."""

    APPROVAL = "approval", "审批许可"
    DECLARATION_RELEASE = "declaration_release", "申报放行"
    INSPECTION = "inspection", "检验检疫"
    DAILY_SUPERVISION = "daily_supervision", "日常监管"


REFERENCE_LABEL = "参考值，待以正式发布的条目和规则替换"


class ChecklistQuestion(models.TextChoices):
    """§六: the questions of a supervision (一 staffing and training; 二 the five duties), and a bureau's own."""

    STAFFING = "q_staffing", "人员配置与业务培训"
    COLLECTION = "q_collection", "信用信息按时采集"
    REVIEW = "q_review", "信用信息及时审核"
    ADJUSTMENT = "q_adjustment", "按规定确认和调整评级结果"
    DYNAMIC = "q_dynamic", "触发动态管理的企业实施动态管理"
    MEASURES = "q_measures", "跟踪落实差异化检验检疫措施"
    OTHER = "q_other", "本单位增加的检查项目"


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度"
    HALF_YEAR = "half_year", "半年"
    QUARTERLY = "quarterly", "季度"
