"""Changing the content of a draft: catalogue items, rule-set parameters and cases, measures, joint measures and
checklist items.

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
    ChecklistItem,
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
    clean_checklist_item,
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


def checklist_item_snapshot(item: ChecklistItem) -> dict[str, Any]:
    return {"code": item.code, "question": item.question, "title": item.title, "standard": item.standard}


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


# ---- rows of a draft kept in order: measures, joint measures, checklist items (the same steps for each) ----


@dataclass(frozen=True)
class DraftRows:
    """How a draft holds one kind of row: its model, cleaning, snapshot, audit action and the noun users read.

    The pages change every kind through the draft_row_* steps below (catalogue.views_edit.ROW_PAGES); their audit
    actions are `<action>.created`, `.updated`, `.deleted` and `.moved` (catalogue.checklist_item.moved …)."""

    model: type[Measure] | type[JointMeasure] | type[ChecklistItem]
    related: str
    clean: Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[FieldError]]]
    snapshot: Callable[[Any], dict[str, Any]]
    action: str
    noun: str

    def rows(self, version: Any) -> Any:
        return getattr(version, self.related).order_by("position", "code")


MEASURES = DraftRows(Measure, "measures", clean_measure, measure_snapshot, "catalogue.measure", "措施")
JOINT_MEASURES = DraftRows(
    JointMeasure,
    "joint_measures",
    clean_joint_measure,
    joint_measure_snapshot,
    "catalogue.joint_measure",
    "联合奖惩措施",
)
CHECKLIST_ITEMS = DraftRows(
    ChecklistItem,
    "checklist_items",
    clean_checklist_item,
    checklist_item_snapshot,
    "catalogue.checklist_item",
    "检查项目",
)


@transaction.atomic
def draft_row_create(kinds: DraftRows, *, version: Any, fields: Mapping[str, Any], actor: Actor) -> Any:
    """A row added to a draft after its last one."""
    require_editor(actor)
    version = lock_version(version)
    require_draft(version)
    rows = getattr(version, kinds.related)
    data, errors = kinds.clean(fields)
    errors += _code_taken(rows.all(), data["code"])
    raise_field_errors(errors, f"{kinds.noun}有误")
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
def draft_row_update(kinds: DraftRows, *, row: Any, fields: Mapping[str, Any], actor: Actor) -> Any:
    require_editor(actor)
    version = lock_version(row.version)
    require_draft(version)
    row = kinds.model.objects.get(pk=row.pk)
    before = kinds.snapshot(row)
    data, errors = kinds.clean({**before, **fields})
    errors += _code_taken(getattr(version, kinds.related).all(), data["code"], exclude_pk=row.pk)
    raise_field_errors(errors, f"{kinds.noun}有误")
    for name, value in data.items():
        setattr(row, name, value)
    row.save(update_fields=list(data))
    row.refresh_from_db()
    old, new = diff(before, kinds.snapshot(row))
    if new:
        audit_log(actor=actor, action=f"{kinds.action}.updated", target=row, old=old, new=new)
    return row


@transaction.atomic
def draft_row_delete(kinds: DraftRows, *, row: Any, actor: Actor) -> None:
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


@transaction.atomic
def draft_row_move(kinds: DraftRows, *, row: Any, offset: int, actor: Actor) -> int:
    """Move a row `offset` places (−1 up, +1 down) in its draft's order; returns its new place (1, 2, …). The
    draft's rows are numbered 1…n again, so positions copied from an older version stay distinct."""
    if offset not in (-1, 1):
        raise DomainError("bad_offset", "只能上移或下移一位", {"offset": offset})
    require_editor(actor)
    version = lock_version(row.version)
    require_draft(version)
    rows = list(kinds.rows(version))
    index = next(i for i, other in enumerate(rows) if other.pk == row.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        edge = "第一" if offset < 0 else "最后一"
        raise DomainError("row_at_edge", f"{kinds.noun}“{row.code}”已是{edge}项", {"position": index + 1})
    rows.insert(target, rows.pop(index))
    changed = []
    for place, other in enumerate(rows, start=1):
        if other.position != place:
            other.position = place
            changed.append(other)
    kinds.model.objects.bulk_update(changed, ["position"])
    audit_log(
        actor=actor,
        action=f"{kinds.action}.moved",
        target=row,
        old={"version": version.number, "code": row.code, "place": index + 1},
        new={"place": target + 1},
    )
    return target + 1


def measure_create(*, version: MeasureListVersion, fields: Mapping[str, Any], actor: Actor) -> Measure:
    return draft_row_create(MEASURES, version=version, fields=fields, actor=actor)


def measure_update(*, measure: Measure, fields: Mapping[str, Any], actor: Actor) -> Measure:
    return draft_row_update(MEASURES, row=measure, fields=fields, actor=actor)


def measure_delete(*, measure: Measure, actor: Actor) -> None:
    draft_row_delete(MEASURES, row=measure, actor=actor)


def joint_measure_create(*, version: JointMeasureVersion, fields: Mapping[str, Any], actor: Actor) -> JointMeasure:
    """A joint measure added to a draft (after its last one), checked as a file's rows are."""
    return draft_row_create(JOINT_MEASURES, version=version, fields=fields, actor=actor)


def joint_measure_update(*, measure: JointMeasure, fields: Mapping[str, Any], actor: Actor) -> JointMeasure:
    return draft_row_update(JOINT_MEASURES, row=measure, fields=fields, actor=actor)


def joint_measure_delete(*, measure: JointMeasure, actor: Actor) -> None:
    draft_row_delete(JOINT_MEASURES, row=measure, actor=actor)
