"""The stable slugs of collection: routes, record statuses, party roles (part of the API contract, issue 4)."""

from django.db import models


class Route(models.TextChoices):
    """How a record reached the platform (§三(五))."""

    ECIQ = "eciq", "e-CIQ 主干系统不合格信息"
    PENALTY = "penalty", "行政处罚信息（结案部门）"
    SUPERVISION = "supervision", "检验检疫日常监管信息（发现部门）"
    EXTERNAL = "external", "外部门及社会评价信息（第一接收部门）"
    MANUAL = "manual", "人工采集"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "待审核确认"
    EFFECTIVE = "effective", "已生效"
    SUPERSEDED = "superseded", "已被替代（一次采集原则）"
    CORRECTED = "corrected", "已更正"
    REVOKED = "revoked", "已撤销"


class PartyRole(models.TextChoices):
    AGENT = "agent", "代理报检企业"
    CONSIGNEE = "consignee", "收发货人"


# Dotted codes of the Deadline rows a record opens (ciqcredit.workdays).
DEADLINE_ENTRY = "collection.entry"
DEADLINE_REVIEW = "collection.review"
DEADLINE_KINDS: dict[str, str] = {DEADLINE_ENTRY: "信用信息录入期限", DEADLINE_REVIEW: "信用信息审核确认期限"}
