"""What changed between two versions of one kind of rules: a pure comparison of snapshots.

- Catalogue and measures: rows matched by code → added, removed, changed (field-level old/new); for items,
  points changes are listed separately because they move grades.
- Rule sets: the dotted paths of parameters that differ (`bands.1.max_points`), and whether the cases did.
- Measure lists: their published precedence, compared like parameters (`precedence.sampling_rate`).
"""

from dataclasses import dataclass, field
from typing import Any

from ciqcredit.catalogue.editing import item_snapshot, measure_snapshot
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion, RuleSetVersion, RulesVersion
from ciqcredit.rules.params import RuleSetParams


@dataclass
class RowChange:
    code: str
    name: str
    fields: dict[str, dict[str, Any]]  # field → {"old", "new"}

    @property
    def points(self) -> dict[str, Any] | None:
        return self.fields.get("points")


@dataclass
class VersionDiff:
    kind: str
    old_number: int
    new_number: int
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    params_changed: list[dict[str, Any]] = field(default_factory=list)  # {"path", "old", "new"}
    cases_changed: bool = False

    @property
    def points_changed(self) -> list[RowChange]:
        return [c for c in self.changed if c.points is not None]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.params_changed or self.cases_changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "old": self.old_number,
            "new": self.new_number,
            "added": self.added,
            "removed": self.removed,
            "changed": [{"code": c.code, "name": c.name, "fields": c.fields} for c in self.changed],
            "points_changed": [
                {"code": c.code, "name": c.name, "old": c.points["old"], "new": c.points["new"]}
                for c in self.points_changed
                if c.points is not None
            ],
            "params_changed": self.params_changed,
            "cases_changed": self.cases_changed,
        }


def rows_diff(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]], *, name_field: str):
    old_by = {r["code"]: r for r in old_rows}
    new_by = {r["code"]: r for r in new_rows}
    added = [r for code, r in new_by.items() if code not in old_by]
    removed = [r for code, r in old_by.items() if code not in new_by]
    changed = []
    for code, new in new_by.items():
        old = old_by.get(code)
        if old is None:
            continue
        fields = {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}
        if fields:
            changed.append(RowChange(code=code, name=new.get(name_field, ""), fields=fields))
    return added, removed, changed


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": [1, 2]}} → {"a.b.0": 1, "a.b.1": 2}."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(flatten(sub, f"{prefix}{key}."))
        return out
    if isinstance(value, list | tuple):
        out = {}
        for index, sub in enumerate(value):
            out.update(flatten(sub, f"{prefix}{index}."))
        return out if out else {prefix.rstrip("."): []}
    return {prefix.rstrip("."): value}


def params_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    a, b = flatten(old), flatten(new)
    return [{"path": p, "old": a.get(p), "new": b.get(p)} for p in sorted(set(a) | set(b)) if a.get(p) != b.get(p)]


def version_diff(old: RulesVersion, new: RulesVersion) -> VersionDiff:
    if old.KIND != new.KIND:
        raise ValueError("only versions of one kind can be compared")
    result = VersionDiff(kind=old.KIND, old_number=old.number, new_number=new.number)
    if isinstance(old, CatalogueVersion) and isinstance(new, CatalogueVersion):
        result.added, result.removed, result.changed = rows_diff(
            [item_snapshot(i) for i in old.items.all()], [item_snapshot(i) for i in new.items.all()], name_field="name"
        )
    elif isinstance(old, MeasureListVersion) and isinstance(new, MeasureListVersion):
        result.added, result.removed, result.changed = rows_diff(
            [measure_snapshot(m) for m in old.measures.all()],
            [measure_snapshot(m) for m in new.measures.all()],
            name_field="title",
        )
        result.params_changed = params_diff({"precedence": old.precedence}, {"precedence": new.precedence})
    elif isinstance(old, RuleSetVersion) and isinstance(new, RuleSetVersion):
        normalized = [RuleSetParams.model_validate(v.params).model_dump(mode="json") for v in (old, new)]
        result.params_changed = params_diff(*normalized)
        result.cases_changed = old.cases_yaml.strip() != new.cases_yaml.strip()
    return result
