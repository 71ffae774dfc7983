"""Changing the content of a draft: catalogue items, rule-set parameters and cases, measures and joint measures.

Every function locks the draft (ciqcredit.catalogue.services.lock_version) and refuses anything that is not
a draft: `version_published` for a published version, `version_not_draft` for one in review. Input is
loose (forms, JSON, spreadsheet rows) and is cleaned by ciqcredit.catalogue.validation; errors are raised as
one DomainError listing every field error.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log, diff
from ciqcredit.catalogue.access import require_department, require_editor
from ciqcredit.catalogue.models import (
    CatalogueItem,
    CatalogueVersion,
    JointMeasure,
    JointMeasureVersion,
    Measure,
    MeasureListVersion,
    RuleSetVersion,
)
from ciqcredit.catalogue.services import lock_version, require_draft
from ciqcredit.catalogue.validation import (
    FieldError,
    clean_cases_yaml,
    clean_item,
    clean_joint_measure,
    clean_measure,
    clean_params,
)
from ciqcredit.errors import DomainError, NotFound


def raise_field_errors(errors: list[FieldError], message: str = "输入有误") -> None:
    if errors:
        first = "；".join(e.message for e in errors[:3])
        more = f"等{len(errors)}处错误" if len(errors) > 3 else ""
        raise DomainError(
            errors[0].code if len(errors) == 1 else "invalid_input",
            f"{message}：{first}{more}",
            {"errors": [e.as_dict() for e in errors]},
        )


def item_snapshot(item: CatalogueItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "description": item.description,
        "legal_basis": item.legal_basis,
        "points": item.points,
        "serious": item.serious,
        "enters_blacklist": item.enters_blacklist,
        "enterprise_types": item.type_slugs,
        "department": item.department,
        "collection": item.collection,
        "stage": item.stage or None,
        "association_kind": item.association_kind,
        "declarant_required": item.declarant_required,
    }


def measure_snapshot(measure: Measure) -> dict[str, Any]:
    return {
        "code": measure.code,
        "grade": measure.grade,
        "area": measure.area,
        "title": measure.title,
        "description": measure.description,
        "visit_frequency": measure.visit_frequency,
        **_parameters_snapshot(measure),
    }


def _parameters_snapshot(row: Measure | JointMeasure) -> dict[str, Any]:
    """The decision parameters both kinds of measure carry (DecisionParameters), as the forms show them."""
    return {
        "sampling_ratio": f"{row.sampling_ratio.normalize():f}" if row.sampling_ratio is not None else None,
        "document_review": row.document_review or None,
        "priority": row.priority,
        "green_channel": row.green_channel,
        "paperless": row.paperless,
    }


_JOINT_OWN = ("code", "list_code", "list_title", "list_kind", "area", "title", "description")


def joint_measure_snapshot(measure: JointMeasure) -> dict[str, Any]:
    own = {name: getattr(measure, name) for name in _JOINT_OWN}
    return {**own, "for_classes": list(measure.for_classes), **_parameters_snapshot(measure)}


def _code_taken(queryset, code: str, exclude_pk: int | None = None) -> list[FieldError]:
    qs = queryset.filter(code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return [FieldError("code", "duplicate_code", f"编号“{code}”在本版本中已存在")] if code and qs.exists() else []


# ---- catalogue items ----


@transaction.atomic
def catalogue_item_create(*, version: CatalogueVersion, fields: Mapping[str, Any], actor: Actor) -> CatalogueItem:
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    data, errors = clean_item(fields)
    errors += _code_taken(version.items.all(), data["code"])
    raise_field_errors(errors, "条目有误")
    require_department(actor, data["department"])
    position = (version.items.aggregate(p=Max("position"))["p"] or 0) + 1
    item = CatalogueItem.objects.create(version=version, position=position, **data)
    audit_log(
        actor=actor,
        action="catalogue.item.created",
        target=item,
        new={"version": version.number, **item_snapshot(item)},
    )
    return item


@transaction.atomic
def catalogue_item_update(*, item: CatalogueItem, fields: Mapping[str, Any], actor: Actor) -> CatalogueItem:
    """Replace an item's fields. A department editor must own the item before and after the change."""
    require_editor(actor)
    version = lock_version(item.version)
    require_draft(version)
    item = CatalogueItem.objects.get(pk=item.pk)
    require_department(actor, item.department)
    before = item_snapshot(item)
    data, errors = clean_item({**before, **fields})
    errors += _code_taken(version.items.all(), data["code"], exclude_pk=item.pk)
    raise_field_errors(errors, "条目有误")
    require_department(actor, data["department"])
    for name, value in data.items():
        setattr(item, name, value)
    item.save(update_fields=list(data))
    old, new = diff(before, item_snapshot(item))
    if new:
        audit_log(actor=actor, action="catalogue.item.updated", target=item, old=old, new=new)
    return item


@transaction.atomic
def catalogue_item_delete(*, item: CatalogueItem, actor: Actor) -> None:
    require_editor(actor)
    version = lock_version(item.version)
    require_draft(version)
    require_department(actor, item.department)
    audit_log(
        actor=actor,
        action="catalogue.item.deleted",
        target=item,
        old={"version": version.number, **item_snapshot(item)},
    )
    item.delete()


# ---- rule set ----


@transaction.atomic
def ruleset_update(
    *, version: RuleSetVersion, actor: Actor, params: Mapping[str, Any] | None = None, cases_yaml: str | None = None
) -> RuleSetVersion:
    """Replace the parameters and/or the example cases of a rule-set draft (None: keep)."""
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    return _ruleset_store(version=version, params=params, cases_yaml=cases_yaml, actor=actor)


def _ruleset_store(
    *, version: RuleSetVersion, params: Mapping[str, Any] | None, cases_yaml: str | None, actor: Actor
) -> RuleSetVersion:
    errors: list[FieldError] = []
    new_params = version.params
    if params is not None:
        new_params, errors = clean_params(params)
    if cases_yaml is not None:
        errors += clean_cases_yaml(cases_yaml)
    raise_field_errors(errors, "评定规则有误")
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    if params is not None and new_params != version.params:
        old["params"], new["params"] = version.params, new_params
        version.params = new_params
    if cases_yaml is not None and cases_yaml != version.cases_yaml:
        old["cases_yaml"], new["cases_yaml"] = version.cases_yaml, cases_yaml
        version.cases_yaml = cases_yaml
    if new:
        version.save(update_fields=list(new))
        version.__dict__.pop("rule_params", None)
        audit_log(actor=actor, action="catalogue.ruleset.updated", target=version, old=old, new=new)
    return version


def _stored_cases(version: RuleSetVersion) -> list[Any]:
    try:
        cases = yaml.safe_load(version.cases_yaml or "") or []
    except yaml.YAMLError:
        cases = None
    if not isinstance(cases, list) or clean_cases_yaml(version.cases_yaml):
        raise DomainError(
            "rule_case_format", "本草稿的规则测试用例格式有误，无法逐条编辑：请先导入修正后的 YAML 文件", {}
        )
    return cases


def _case_position(cases: list[Any], position: int) -> int:
    if not 1 <= position <= len(cases):
        raise NotFound("规则测试用例")
    return position - 1


@transaction.atomic
def ruleset_case_save(
    *, version: RuleSetVersion, case: Mapping[str, Any], actor: Actor, position: int | None = None
) -> int:
    """Add a case to a rule-set draft (position None) or replace the case at `position` (1, 2, …), in the
    exchange format of ciqcredit.rules.cases; returns its position. The whole file is checked again."""
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    cases = _stored_cases(version)
    index = len(cases) if position is None else _case_position(cases, position)
    name = str(case.get("name") or "").strip()
    others = [c for i, c in enumerate(cases) if i != index]
    if any(isinstance(c, dict) and str(c.get("name", "")).strip() == name for c in others):
        raise_field_errors([FieldError("name", "duplicate_case_name", f"用例名称“{name}”已存在")], "规则测试用例有误")
    cases[index : index + 1] = [dict(case)]
    _ruleset_store(version=version, params=None, cases_yaml=cases_yaml_dump(cases), actor=actor)
    return index + 1


@transaction.atomic
def ruleset_case_delete(*, version: RuleSetVersion, position: int, actor: Actor) -> None:
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    cases = _stored_cases(version)
    del cases[_case_position(cases, position)]
    _ruleset_store(version=version, params=None, cases_yaml=cases_yaml_dump(cases), actor=actor)


def cases_yaml_dump(cases: list[Any]) -> str:
    """Cases in the exchange format, one block per case, records and expectations on one line each."""
    return "\n".join(
        yaml.safe_dump([case], allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)
        for case in cases
    )


# ---- measures and joint measures (one kind of row each, the same steps) ----


@dataclass(frozen=True)
class MeasureRows:
    """How a draft holds one kind of measure: its rows, their cleaning, snapshot, audit action and wording."""

    model: type[Measure] | type[JointMeasure]
    related: str
    clean: Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[FieldError]]]
    snapshot: Callable[[Any], dict[str, Any]]
    action: str
    invalid: str


MEASURES = MeasureRows(Measure, "measures", clean_measure, measure_snapshot, "catalogue.measure", "措施有误")
JOINT_MEASURES = MeasureRows(
    JointMeasure,
    "joint_measures",
    clean_joint_measure,
    joint_measure_snapshot,
    "catalogue.joint_measure",
    "联合奖惩措施有误",
)


@transaction.atomic
def _rows_create(kinds: MeasureRows, version: Any, fields: Mapping[str, Any], actor: Actor) -> Any:
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    rows = getattr(version, kinds.related)
    data, errors = kinds.clean(fields)
    errors += _code_taken(rows.all(), data["code"])
    raise_field_errors(errors, kinds.invalid)
    position = (rows.aggregate(p=Max("position"))["p"] or 0) + 1
    row = kinds.model.objects.create(version=version, position=position, **data)
    audit_log(
        actor=actor,
        action=f"{kinds.action}.created",
        target=row,
        new={"version": version.number, **kinds.snapshot(row)},
    )
    return row


@transaction.atomic
def _rows_update(kinds: MeasureRows, row: Any, fields: Mapping[str, Any], actor: Actor) -> Any:
    require_editor(actor)
    version = lock_version(row.version)
    require_draft(version)
    row = kinds.model.objects.get(pk=row.pk)
    before = kinds.snapshot(row)
    data, errors = kinds.clean({**before, **fields})
    errors += _code_taken(getattr(version, kinds.related).all(), data["code"], exclude_pk=row.pk)
    raise_field_errors(errors, kinds.invalid)
    for name, value in data.items():
        setattr(row, name, value)
    row.save(update_fields=list(data))
    row.refresh_from_db()
    old, new = diff(before, kinds.snapshot(row))
    if new:
        audit_log(actor=actor, action=f"{kinds.action}.updated", target=row, old=old, new=new)
    return row


@transaction.atomic
def _rows_delete(kinds: MeasureRows, row: Any, actor: Actor) -> None:
    require_editor(actor)
    version = lock_version(row.version)
    require_draft(version)
    audit_log(
        actor=actor,
        action=f"{kinds.action}.deleted",
        target=row,
        old={"version": version.number, **kinds.snapshot(row)},
    )
    row.delete()


def measure_create(*, version: MeasureListVersion, fields: Mapping[str, Any], actor: Actor) -> Measure:
    return _rows_create(MEASURES, version, fields, actor)


def measure_update(*, measure: Measure, fields: Mapping[str, Any], actor: Actor) -> Measure:
    return _rows_update(MEASURES, measure, fields, actor)


def measure_delete(*, measure: Measure, actor: Actor) -> None:
    _rows_delete(MEASURES, measure, actor)


def joint_measure_create(*, version: JointMeasureVersion, fields: Mapping[str, Any], actor: Actor) -> JointMeasure:
    """A joint measure added to a draft (after its last one), checked as a file's rows are."""
    return _rows_create(JOINT_MEASURES, version, fields, actor)


def joint_measure_update(*, measure: JointMeasure, fields: Mapping[str, Any], actor: Actor) -> JointMeasure:
    return _rows_update(JOINT_MEASURES, measure, fields, actor)


def joint_measure_delete(*, measure: JointMeasure, actor: Actor) -> None:
    _rows_delete(JOINT_MEASURES, measure, actor)
