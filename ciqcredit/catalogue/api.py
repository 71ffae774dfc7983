"""Read API of the published rules: catalogue items, rule sets and measure lists, by version or by date.

Any authenticated caller (staff, enterprise user, API client) reads published versions; drafts and versions in
review are visible to HQ staff only (404 for everyone else). Writes go through the pages.
"""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ciqcredit import clock
from ciqcredit.api_common import ErrorOut, IsoDate, ListOut, VersionNumber, caller
from ciqcredit.catalogue.choices import REFERENCE_LABEL, Category, Kind
from ciqcredit.catalogue.editing import item_snapshot, measure_snapshot
from ciqcredit.catalogue.models import CatalogueItem, CatalogueVersion, MeasureListVersion, RuleSetVersion, RulesVersion
from ciqcredit.catalogue.selectors import (
    item_search,
    version_get_for_user,
    version_in_force_for,
    version_on,
    versions_visible_to,
)
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.errors import DomainError

router = Router(tags=["信用规则 catalogue"])

CategorySlug = Literal[
    "basic", "law_abiding", "quality_management", "product_quality", "supervision", "social_evaluation", "other"
]


class ItemOut(Schema):
    code: str = Field(description="条目编号（同一版本内唯一）")
    name: str = Field(description="条目名称")
    category: CategorySlug = Field(description="类别：" + "、".join(f"{s}（{label}）" for s, label in Category.choices))
    description: str = Field(description="失信行为描述")
    legal_basis: str = Field(description="法律依据，如《商检法》第35条")
    points: int = Field(ge=0, description="失信计分（中性或正面信息为0）")
    serious: bool = Field(description="是否严重失信行为（计入36分须同时受行政处罚）")
    enters_blacklist: bool = Field(description="是否直接列入严重失信企业名单")
    enterprise_types: list[str] = Field(description="适用企业类型（空列表：全部类型）")
    department: str = Field(description="主管业务司局")
    collection: Literal["auto", "auto_confirm", "manual"] = Field(
        description="采集方式：auto 自动采集、auto_confirm 自动采集后人工确认、manual 人工采集"
    )
    stage: Literal["declaration", "inspection"] | None = Field(
        description=(
            "e-CIQ 采集环节：declaration 报检环节（检务部门确认）、inspection 施检环节（施检部门确认）；人工采集为 null"
        )
    )
    association_kind: Literal["declaration", "penalty", "generated_j", "generated_w"] = Field(
        description="业务关联号：报检号/证书号、处罚文书号、自动编号J、自动编号W"
    )
    declarant_required: bool = Field(description="是否须录入报检员备案号")
    version: int = Field(description="所属采集条目版本号")


class VersionOut(Schema):
    kind: Literal["catalogue", "ruleset", "measures"] = Field(description="规则类别")
    number: int = Field(description="版本号（每类规则从1起编号）")
    status: Literal["draft", "in_review", "published"] = Field(description="状态：草稿、审核中、已发布")
    title: str
    notes: str
    is_reference: bool = Field(description="是否为参考值")
    reference_label: str = Field(description=f"参考值说明（“{REFERENCE_LABEL}”），非参考值为空")
    based_on: int | None = Field(description="复制自的版本号")
    effective_from: IsoDate | None = Field(description="生效日期（发布时确定）")
    published_at: dt.datetime | None


class RuleSetOut(VersionOut):
    params: dict[str, Any] = Field(description="评定参数（结构见 ciqcredit.rules.params.RuleSetParams）")
    cases_yaml: str = Field(description="规则测试用例（YAML），发布前须全部通过")


class MeasureOut(Schema):
    code: str
    grade: Literal["AA", "A", "B", "C", "D", "controlled", "unregistered"] = Field(
        description="适用对象：等级 AA–D；controlled 为布控（动态管理）；unregistered 为登记系统中没有的企业"
    )
    area: Literal["approval", "declaration_release", "inspection", "daily_supervision"] = Field(
        description="措施领域：审批许可、申报放行、检验检疫、日常监管"
    )
    title: str
    description: str
    sampling_ratio: str | None = Field(description='抽批比例（0–1 的小数，如 "0.3"），仅申报放行、检验检疫领域')
    visit_frequency: int | None = Field(description="年度现场监督检查次数（次/年），仅日常监管领域")
    document_review: Literal["waived", "simplified", "standard", "full"] | None = Field(
        description="审单方式：免审、简化、常规、逐批全面；null 为本措施不设定"
    )
    priority: bool | None = Field(description="优先办理；null 为本措施不设定")
    green_channel: bool | None = Field(description="绿色通道；null 为本措施不设定")
    paperless: bool | None = Field(description="无纸化；null 为本措施不设定")


class PrecedenceOut(Schema):
    sampling_rate: Literal["highest", "lowest"] = Field(description="多项措施的抽批比例：取最高或最低")
    document_review: Literal["strictest", "loosest"] = Field(description="审单方式：取最严或最宽")
    facilitation: Literal["all_parties", "any_party"] = Field(description="便利措施：各方均符合或任一方符合")


class MeasureListOut(VersionOut):
    precedence: PrecedenceOut = Field(description="措施竞合规则（参考值：最严者优先）")
    measures: list[MeasureOut]


def item_out(item: CatalogueItem) -> dict[str, Any]:
    """The API contract of an item: its audited snapshot plus the version it belongs to."""
    return {**item_snapshot(item), "version": item.version.number}


def version_out(version: RulesVersion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": version.KIND,
        "number": version.number,
        "status": version.status,
        "title": version.title,
        "notes": version.notes,
        "is_reference": version.is_reference,
        "reference_label": version.reference_label,
        "based_on": version.based_on.number if version.based_on else None,
        "effective_from": version.effective_from,
        "published_at": version.published_at,
    }
    if isinstance(version, RuleSetVersion):
        out |= {"params": version.params, "cases_yaml": version.cases_yaml}
    if isinstance(version, MeasureListVersion):
        out["precedence"] = version.precedence
        out["measures"] = [measure_snapshot(m) for m in version.measures.all()]
    return out


_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}


class ItemFilters(Schema):
    category: CategorySlug | None = Field(None, description="按类别筛选")
    type: str | None = Field(None, description="按企业类型筛选（含适用全部类型的条目）")
    version: VersionNumber | None = Field(None, description="版本号；省略时取 on 日期有效的版本")
    on: IsoDate | None = Field(None, description="有效日期 YYYY-MM-DD；默认今天")


@router.get(
    "/catalogue/items",
    response={200: ListOut[ItemOut], **_ERRORS},
    summary="信用信息采集条目（默认为今天有效的版本）",
    description='按类别、企业类型、版本号或有效日期筛选。返回 `{"count", "items"}`；无有效版本时为空列表。',
)
def list_items(request: HttpRequest, filters: Query[ItemFilters]):
    user = caller(request)
    if filters.type and filters.type not in EnterpriseType.values:
        raise DomainError("unknown_enterprise_type", f"未知的企业类型“{filters.type}”", {"field": "type"})
    version: RulesVersion | None
    if filters.version is not None:
        version = version_get_for_user(user, Kind.CATALOGUE, filters.version)
    else:
        version = version_on(Kind.CATALOGUE, filters.on or clock.today())
    if version is None:
        return {"count": 0, "items": []}
    assert isinstance(version, CatalogueVersion)  # the kind asked for
    items = [item_out(i) for i in item_search(version, category=filters.category or "", type_slug=filters.type or "")]
    return {"count": len(items), "items": items}


def _versions(request: HttpRequest, kind: str, on: IsoDate | None) -> dict[str, Any]:
    user = caller(request)
    if on is not None:
        found = version_on(kind, on)
        versions = [found] if found is not None else []
    else:
        versions = list(versions_visible_to(user, kind).select_related("based_on"))
    return {"count": len(versions), "items": [version_out(v) for v in versions]}


@router.get(
    "/catalogue/versions",
    response={200: ListOut[VersionOut], **_ERRORS},
    summary="采集条目版本列表（含状态）",
    description="已发布版本对所有调用者可见；草稿和审核中的版本仅总局工作人员可见。`on` 给出时只返回该日有效的版本。",
)
def list_catalogue_versions(request: HttpRequest, on: IsoDate | None = None):
    return _versions(request, Kind.CATALOGUE, on)


@router.get(
    "/catalogue/versions/{number}",
    response={200: VersionOut, **_ERRORS},
    summary="采集条目某一版本的信息",
)
def get_catalogue_version(request: HttpRequest, number: VersionNumber):
    return version_out(version_get_for_user(caller(request), Kind.CATALOGUE, number))


@router.get(
    "/rulesets",
    response={200: ListOut[RuleSetOut], **_ERRORS},
    summary="评定规则版本列表；带 on=YYYY-MM-DD 时为该日有效的版本",
)
def list_rulesets(request: HttpRequest, on: IsoDate | None = None):
    return _versions(request, Kind.RULESET, on)


@router.get(
    "/rulesets/current",
    response={200: RuleSetOut, **_ERRORS},
    summary="现行评定规则（on=YYYY-MM-DD 时为该日有效的版本）",
)
def current_ruleset(request: HttpRequest, on: IsoDate | None = None):
    return version_out(version_in_force_for(Kind.RULESET, on))


@router.get("/rulesets/{number}", response={200: RuleSetOut, **_ERRORS}, summary="评定规则某一版本")
def get_ruleset(request: HttpRequest, number: VersionNumber):
    return version_out(version_get_for_user(caller(request), Kind.RULESET, number))


@router.get(
    "/measures/lists",
    response={200: ListOut[MeasureListOut], **_ERRORS},
    summary="差异化措施版本列表；带 on=YYYY-MM-DD 时为该日有效的版本",
)
def list_measure_lists(request: HttpRequest, on: IsoDate | None = None):
    return _versions(request, Kind.MEASURES, on)


@router.get(
    "/measures/lists/current",
    response={200: MeasureListOut, **_ERRORS},
    summary="现行差异化检验检疫措施（on=YYYY-MM-DD 时为该日有效的版本）",
)
def current_measure_list(request: HttpRequest, on: IsoDate | None = None):
    return version_out(version_in_force_for(Kind.MEASURES, on))


@router.get("/measures/lists/{number}", response={200: MeasureListOut, **_ERRORS}, summary="差异化措施某一版本")
def get_measure_list(request: HttpRequest, number: VersionNumber):
    return version_out(version_get_for_user(caller(request), Kind.MEASURES, number))
