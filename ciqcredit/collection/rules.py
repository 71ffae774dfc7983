"""The rules of collection (§三(二)–(七)) as data and plain functions: no database, no Django models.

- `ROUTE_RULES`: who may collect through which route, and which catalogue items each route takes.
- `association_mode`: which business association number (业务关联号) a record needs, by route and item.
- `field_errors`: completeness and date logic; a record with any error cannot leave draft.
- `collection_start`, `late_days`: the §三(六) deadline arithmetic around a calendar function.
- `one_act_outcome`: §三(四) one act, one item.
- `format_association_no`: `J`/`W` + organization code + YYYYMMDD + 3-digit serial.

Roles (decision, see the report): collectors hold `collector`; reviewers hold `reviewer`; the bureau's
credit officers (`bureau_credit`) may do both, because small branches have one credit officer. Nobody ever
confirms a record they created themselves, whatever their roles.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

COLLECTOR_ROLES: tuple[str, ...] = ("collector", "bureau_credit")
REVIEWER_ROLES: tuple[str, ...] = ("reviewer", "bureau_credit")
MAX_SERIAL = 999  # 3 digits; the 1000th of a day is refused, never wrapped
GENERATED_NO = re.compile(r"^[JW]\d{6}\d{8}\d{3}$")

# Association modes.
REQUIRED = "required"  # the collector types it (declaration/certificate or penalty document number)
OPTIONAL_ELSE_GENERATE = "optional"  # typed when there is one, else generated on save (J)
GENERATE = "generate"  # always generated on save (W); a typed number is refused


@dataclass(frozen=True)
class RouteRule:
    route: str
    label: str
    # Only systems holding this API scope use the route (e-CIQ); None: people with COLLECTOR_ROLES.
    system_scope: str | None
    # Departments whose collectors may use the route; None: any (the discovering / first receiving one).
    department_kinds: frozenset[str] | None
    item_collections: frozenset[str]  # catalogue item `collection` values the route takes
    association_kinds: frozenset[str]  # catalogue item `association_kind` values the route takes
    who: str  # the sentence users read when refused


_MANUAL = frozenset({"manual"})

ROUTE_RULES: dict[str, RouteRule] = {
    rule.route: rule
    for rule in (
        RouteRule(
            "eciq",
            "e-CIQ 不合格信息",
            "eciq_intake",
            None,
            frozenset({"auto", "auto_confirm"}),
            frozenset({"declaration"}),
            "e-CIQ 不合格信息由信用管理平台通过 e-CIQ 接口自动采集（/api/v1/intake/eciq）",
        ),
        RouteRule(
            "penalty",
            "行政处罚信息",
            None,
            frozenset({"case_closing"}),
            _MANUAL,
            frozenset({"penalty"}),
            "行政处罚信息只能由结案部门的采集人员采集",
        ),
        RouteRule(
            "supervision",
            "日常监管信息",
            None,
            None,
            _MANUAL,
            frozenset({"declaration", "generated_j"}),
            "日常监管信息由发现部门的采集人员采集",
        ),
        RouteRule(
            "external",
            "外部门及社会评价信息",
            None,
            None,
            _MANUAL,
            frozenset({"generated_w"}),
            "外部门及社会评价信息由第一接收部门的采集人员采集",
        ),
        RouteRule(
            "manual",
            "人工采集",
            None,
            None,
            _MANUAL,
            frozenset({"declaration", "generated_j"}),
            "人工采集由信息发现部门的采集人员进行",
        ),
    )
}

# Where each kind of item must go when a collector picked the wrong route: shown in the refusal.
_ROUTE_FOR_KIND = {"penalty": "penalty", "generated_w": "external"}


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def collect_refusal(
    *,
    route: str,
    roles: list[str] | tuple[str, ...],
    is_system: bool,
    scopes: list[str] | tuple[str, ...],
    department_kind: str | None,
) -> Refusal | None:
    """Why this caller may not collect through `route`, or None when they may (§三(五))."""
    rule = ROUTE_RULES.get(route)
    if rule is None:
        return Refusal("unknown_route", f"未知的采集途径“{route}”", "route")
    if rule.system_scope is not None:
        if is_system and rule.system_scope in scopes:
            return None
        return Refusal("route_automatic", rule.who, "route")
    if is_system or not any(role in roles for role in COLLECTOR_ROLES):
        return Refusal("not_collector", "只有信息采集人员（或信用管理人员）可以采集信用信息", "route")
    if rule.department_kinds is not None and department_kind not in rule.department_kinds:
        return Refusal("wrong_department", rule.who, "route")
    return None


def item_refusal(*, route: str, item_code: str, collection: str, association_kind: str) -> Refusal | None:
    """Why this catalogue item cannot be collected through this route, or None."""
    rule = ROUTE_RULES[route]
    if collection not in rule.item_collections:
        if route == "eciq":
            return Refusal(
                "item_not_automatic", f"条目 {item_code} 为人工采集条目，不能通过 e-CIQ 自动采集", "item_code"
            )
        return Refusal(
            "item_automatic",
            f"条目 {item_code} 由 e-CIQ 自动采集，不能人工录入",
            "item_code",
        )
    if association_kind not in rule.association_kinds:
        target = _ROUTE_FOR_KIND.get(association_kind)
        hint = f"，应通过“{ROUTE_RULES[target].label}”途径采集" if target else ""
        return Refusal("item_wrong_route", f"条目 {item_code} 不能通过“{rule.label}”途径采集{hint}", "item_code")
    return None


def association_mode(*, route: str, association_kind: str) -> tuple[str, str]:
    """(mode, prefix) of the business association number (§三(七)); prefix only for generated numbers."""
    if route == "penalty" or association_kind == "penalty":
        return REQUIRED, ""
    if route == "external" or association_kind == "generated_w":
        return GENERATE, "W"
    if association_kind == "generated_j":
        return OPTIONAL_ELSE_GENERATE, "J"
    return REQUIRED, ""


_ASSOCIATION_LABEL = {"penalty": "处罚文书号（案件编号）", "declaration": "报检号/证书号"}


@dataclass(frozen=True)
class RecordFields:
    """What completeness is judged on: plain values, so the API, the pages and the bulk loader share it."""

    route: str
    association_kind: str
    association_no: str
    declarant_responsible: bool
    declarant_required: bool
    declarant_no: str
    description: str
    occurred_on: dt.date | None
    discovered_on: dt.date | None
    verified_on: dt.date | None
    today: dt.date


def field_errors(fields: RecordFields, *, for_draft: bool = False) -> list[Refusal]:
    """Every reason the record is incomplete or illogical (§三(七)); for a draft, only what cannot be saved."""
    errors: list[Refusal] = []
    dates = {
        "occurred_on": fields.occurred_on,
        "discovered_on": fields.discovered_on,
        "verified_on": fields.verified_on,
    }
    labels = {"occurred_on": "发生日期", "discovered_on": "发现日期", "verified_on": "查实日期"}
    for name, value in dates.items():
        if value is None:
            errors.append(Refusal("missing_date", f"请填写{labels[name]}", name))
        elif value > fields.today:
            errors.append(Refusal("date_in_future", f"{labels[name]}不能晚于今天（{fields.today:%Y-%m-%d}）", name))
    occurred, discovered, verified = fields.occurred_on, fields.discovered_on, fields.verified_on
    if occurred and discovered and discovered < occurred:
        errors.append(Refusal("dates_out_of_order", "发现日期不能早于发生日期", "discovered_on"))
    if occurred and verified and verified < occurred:
        errors.append(Refusal("dates_out_of_order", "查实日期不能早于发生日期", "verified_on"))
    mode, prefix = association_mode(route=fields.route, association_kind=fields.association_kind)
    number = fields.association_no.strip()
    if mode == GENERATE and number:
        errors.append(
            Refusal(
                "association_no_generated",
                f"此类信息的业务关联号由平台在保存时自动编号（{prefix}+机构代码+年月日+流水号），请保持空白",
                "association_no",
            )
        )
    if len(number) > 40:
        errors.append(Refusal("association_no_too_long", "业务关联号不能超过40个字符", "association_no"))
    if for_draft:
        return errors
    if mode == REQUIRED and not number:
        kind = "penalty" if fields.route == "penalty" else fields.association_kind
        label = _ASSOCIATION_LABEL.get(kind, "业务关联号")
        errors.append(Refusal("missing_association_no", f"请在“业务关联号”一栏填写{label}", "association_no"))
    if (fields.declarant_responsible or fields.declarant_required) and not fields.declarant_no.strip():
        errors.append(Refusal("missing_declarant_no", "涉及报检员责任的信用信息须一并录入报检员备案号", "declarant_no"))
    if not fields.description.strip():
        errors.append(Refusal("missing_description", "请填写失信行为详情", "description"))
    return errors


def collection_start(discovered_on: dt.date, verified_on: dt.date) -> dt.date:
    """§三(六): the deadline runs from the day the conduct was discovered *and* verified: the later date."""
    return max(discovered_on, verified_on)


def late_days(due_on: dt.date, done_on: dt.date, working_days_between: Callable[[dt.date, dt.date], int]) -> int:
    """Working days after the due date (0 when on time)."""
    return max(0, working_days_between(due_on, done_on))


# One act, one item (§三(四)).
BECOMES_EFFECTIVE = "effective"  # no other effective record for the act
REPLACES_CURRENT = "replaces"  # scores higher: the current one is superseded by the new one
SUPERSEDED_AT_ONCE = "superseded"  # scores lower or equal: the new one is kept, superseded by the current


def one_act_outcome(new_points: int, current_points: int | None) -> str:
    if current_points is None:
        return BECOMES_EFFECTIVE
    return REPLACES_CURRENT if new_points > current_points else SUPERSEDED_AT_ONCE


def format_association_no(prefix: str, org_code: str, day: dt.date, serial: int) -> str:
    if prefix not in ("J", "W"):
        raise ValueError(f"unknown association prefix {prefix!r}")
    if not 1 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial {serial} outside 1..{MAX_SERIAL}")
    return f"{prefix}{org_code}{day:%Y%m%d}{serial:03d}"
