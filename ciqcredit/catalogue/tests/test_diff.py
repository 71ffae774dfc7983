"""The difference between two versions: added, removed, changed (field level, points called out); params paths."""

from ciqcredit.catalogue.choices import Kind
from ciqcredit.catalogue.diff import params_diff, version_diff
from ciqcredit.catalogue.editing import (
    catalogue_item_create,
    catalogue_item_delete,
    catalogue_item_update,
    measure_update,
    ruleset_update,
)
from ciqcredit.catalogue.models import CatalogueVersion, MeasureListVersion, RuleSetVersion
from ciqcredit.catalogue.services import version_draft_create

from .conftest import SYSTEM

NEW_ITEM = {
    "code": "QT-99",
    "name": "新增条目",
    "category": "other",
    "points": 2,
    "department": "法规司",
    "collection": "manual",
    "association_kind": "generated_j",
}


def test_catalogue_diff_lists_added_removed_and_changed_items(reference, cast):
    v1 = CatalogueVersion.objects.get(number=1)
    v2 = version_draft_create(kind=Kind.CATALOGUE, actor=SYSTEM)
    catalogue_item_create(version=v2, fields=NEW_ITEM, actor=SYSTEM)
    catalogue_item_delete(item=v2.items.get(code="QT-03"), actor=SYSTEM)
    catalogue_item_update(
        item=v2.items.get(code="JG-01"), fields={"points": 2, "declarant_required": False}, actor=SYSTEM
    )
    catalogue_item_update(item=v2.items.get(code="SH-03"), fields={"name": "消费者投诉"}, actor=SYSTEM)

    diff = version_diff(v1, v2)
    assert [r["code"] for r in diff.added] == ["QT-99"]
    assert [r["code"] for r in diff.removed] == ["QT-03"]
    assert {c.code: c.fields for c in diff.changed} == {
        "JG-01": {"points": {"old": 1, "new": 2}, "declarant_required": {"old": True, "new": False}},
        "SH-03": {"name": {"old": "投诉", "new": "消费者投诉"}},
    }
    assert [(c.code, c.points) for c in diff.points_changed] == [("JG-01", {"old": 1, "new": 2})]
    assert diff.as_dict()["points_changed"] == [{"code": "JG-01", "name": "报检差错", "old": 1, "new": 2}]
    assert version_diff(v1, v1).is_empty


def test_ruleset_diff_names_the_changed_parameter_paths(reference):
    v1 = RuleSetVersion.objects.get(number=1)
    v2 = version_draft_create(kind=Kind.RULESET, actor=SYSTEM)
    params = {**v2.params, "immediate_downgrade": {**v2.params["immediate_downgrade"], "threshold": 20}}
    params["bands"] = [
        {"min_points": 0, "max_points": 0, "grade": "A"},
        {"min_points": 1, "max_points": 9, "grade": "B"},
        {"min_points": 10, "max_points": None, "grade": "C"},
    ]
    ruleset_update(version=v2, params=params, cases_yaml=v2.cases_yaml + "\n", actor=SYSTEM)
    v2.refresh_from_db()
    diff = version_diff(v1, v2)
    assert diff.params_changed == [
        {"path": "bands.1.max_points", "old": 11, "new": 9},
        {"path": "bands.2.min_points", "old": 12, "new": 10},
        {"path": "immediate_downgrade.threshold", "old": 24, "new": 20},
    ]
    assert not diff.cases_changed  # trailing whitespace only


def test_measure_diff(reference):
    v1 = MeasureListVersion.objects.get(number=1)
    v2 = version_draft_create(kind=Kind.MEASURES, actor=SYSTEM)
    measure_update(measure=v2.measures.get(code="C-IN-01"), fields={"sampling_ratio": "80%"}, actor=SYSTEM)
    diff = version_diff(v1, v2)
    assert not diff.added and not diff.removed
    assert [(c.code, c.fields) for c in diff.changed] == [("C-IN-01", {"sampling_ratio": {"old": "0.6", "new": "0.8"}})]


def test_params_diff_of_lists_of_different_length():
    assert params_diff({"a": [1, 2]}, {"a": [1]}) == [{"path": "a.1", "old": 2, "new": None}]
