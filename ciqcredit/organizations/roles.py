"""Roles, department kinds and API scopes: the stable slugs of the integration contract."""

from django.db import models


class Role(models.TextChoices):
    HQ_ADMIN = "hq_admin", "总局管理员"
    HQ_RULES = "hq_rules", "总局规则维护人员"
    BUREAU_CREDIT = "bureau_credit", "信用管理人员"
    COLLECTOR = "collector", "信息采集人员"
    REVIEWER = "reviewer", "信息审核人员"
    SUPERVISOR = "supervisor", "督查人员"
    VIEWER = "viewer", "只读用户"
    ENTERPRISE = "enterprise", "企业用户"


class DepartmentKind(models.TextChoices):
    DECLARATION = "declaration", "检务部门"
    INSPECTION = "inspection", "施检部门"
    CASE_CLOSING = "case_closing", "结案（法制）部门"
    BUSINESS = "business", "业务部门"
    CREDIT = "credit", "信用管理（综合）部门"
    OVERSIGHT = "oversight", "督查部门"
    OTHER = "other", "其他部门"


class Scope(models.TextChoices):
    ENTERPRISE_SYNC = "enterprise_sync", "企业信息同步（企业管理系统）"
    ECIQ_INTAKE = "eciq_intake", "e-CIQ 不合格信息与业务量导入"
    EXTERNAL_INTAKE = "external_intake", "外部门信息导入"
    SHARING_READ = "sharing_read", "信用信息共享查询"
    ECIQ_DECISION = "eciq_decision", "e-CIQ 放行决定与变更流"


class Level(models.TextChoices):
    HQ = "hq", "总局"
    BUREAU = "bureau", "直属局"
    BRANCH = "branch", "分支局"
    # A regulator outside the inspection system (court, tax, customs, market regulation…), with API clients only:
    # no parent, a path outside HQ's ("partner/<code>/"), so no bureau scoping ever reaches it (ciqcredit.partners).
    PARTNER = "partner", "合作部门"


HQ_CODE = "000000"
STAFF_ROLES = frozenset(r for r in Role if r != Role.ENTERPRISE)
