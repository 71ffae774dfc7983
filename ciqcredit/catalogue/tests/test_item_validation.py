"""Cleaning one item or measure from loose input: pure functions, no database."""

from decimal import Decimal

import pytest

from ciqcredit.catalogue.validation import clean_item, clean_measure, clean_params

BASE = {
    "code": "A-1",
    "name": "n",
    "category": "other",
    "points": 1,
    "department": "法规司",
    "collection": "manual",
    "association_kind": "generated_j",
}


def codes(errors):
    return sorted(e.code for e in errors)


def test_labels_and_slugs_are_both_accepted():
    data, errors = clean_item(
        {**BASE, "category": "社会评价", "enterprise_types": "进口企业；exporter", "serious": "是"}
    )
    assert errors == []
    assert (data["category"], data["enterprise_types"], data["serious"]) == (
        "social_evaluation",
        ";importer;exporter;",
        True,
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"collection": "auto", "association_kind": "declaration"}, ["stage_required"]),
        ({"collection": "auto"}, ["association_mismatch", "stage_required"]),
        ({"collection": "auto_confirm", "stage": "declaration"}, ["association_mismatch"]),
        ({"collection": "auto", "stage": "inspection", "association_kind": "declaration"}, []),
        ({"stage": "inspection"}, ["stage_not_allowed"]),
        ({"code": "", "name": ""}, ["missing_field", "missing_field"]),
        ({"code": "A 1"}, ["bad_code"]),
        ({"points": -1}, ["negative_points"]),
        ({"points": "1.5"}, ["bad_points"]),
        ({"department": "x" * 51}, ["field_too_long"]),
    ],
)
def test_item_rules(changes, expected):
    assert codes(clean_item({**BASE, **changes})[1]) == expected


@pytest.mark.parametrize(
    ("raw", "ratio", "expected"),
    [
        ({"area": "inspection", "sampling_ratio": "30%"}, Decimal("0.3"), []),
        ({"area": "inspection", "sampling_ratio": "0.05"}, Decimal("0.05"), []),
        ({"area": "inspection", "sampling_ratio": "1.5"}, None, ["bad_sampling_ratio"]),
        ({"area": "inspection", "sampling_ratio": "x"}, None, ["bad_sampling_ratio"]),
        ({"area": "approval", "sampling_ratio": "0.5"}, Decimal("0.5"), ["sampling_ratio_wrong_area"]),
        ({"area": "inspection", "visit_frequency": 2}, None, ["visit_frequency_wrong_area"]),
    ],
)
def test_measure_rules(raw, ratio, expected):
    data, errors = clean_measure({"code": "M-1", "grade": "B", "title": "t", **raw})
    assert codes(errors) == expected
    assert data["sampling_ratio"] == ratio


def test_params_are_normalized_with_defaults():
    params, errors = clean_params({"new_enterprise": {"grade": "C"}})
    assert errors == [] and params["new_enterprise"] == {"grade": "C"} and params["serious_list"]["threshold"] == 36
    _, errors = clean_params({"bands": [{"min_points": 0, "max_points": 5, "grade": "A"}]})
    assert [e.message for e in errors] == ["评定参数：最后一个分值区间须无上限"]
