"""§三(五) who may collect through which route: the permission matrix is test data."""

import pytest

from ciqcredit.collection.rules import collect_refusal, item_refusal

# (route, roles, is_system, scopes, department kind) -> refusal code or None (allowed)
MATRIX = [
    ("penalty", ["collector"], False, [], "case_closing", None),
    ("penalty", ["bureau_credit"], False, [], "case_closing", None),
    ("penalty", ["collector"], False, [], "declaration", "wrong_department"),
    ("penalty", ["collector"], False, [], None, "wrong_department"),
    ("penalty", ["reviewer"], False, [], "case_closing", "not_collector"),
    ("supervision", ["collector"], False, [], "inspection", None),
    ("supervision", ["collector"], False, [], "declaration", None),
    ("supervision", ["viewer"], False, [], "inspection", "not_collector"),
    ("supervision", ["supervisor"], False, [], "oversight", "not_collector"),
    ("external", ["collector"], False, [], "business", None),
    ("external", ["reviewer"], False, [], "business", "not_collector"),
    ("manual", ["collector"], False, [], "credit", None),
    ("manual", ["enterprise"], False, [], None, "not_collector"),
    ("manual", [], True, ["external_intake"], None, "not_collector"),
    ("eciq", ["collector"], False, [], "declaration", "route_automatic"),
    ("eciq", [], True, ["eciq_intake"], None, None),
    ("eciq", [], True, ["external_intake"], None, "route_automatic"),
    ("teleport", ["collector"], False, [], "declaration", "unknown_route"),
]


@pytest.mark.parametrize(("route", "roles", "is_system", "scopes", "dept", "expected"), MATRIX)
def test_who_may_collect(route, roles, is_system, scopes, dept, expected):
    refusal = collect_refusal(route=route, roles=roles, is_system=is_system, scopes=scopes, department_kind=dept)
    assert (refusal.code if refusal else None) == expected
    if refusal:
        assert refusal.message  # a Chinese sentence, never empty


# (route, item collection, item association kind) -> refusal code or None
ITEMS = [
    ("eciq", "auto", "declaration", None),
    ("eciq", "auto_confirm", "declaration", None),
    ("eciq", "manual", "declaration", "item_not_automatic"),
    ("penalty", "manual", "penalty", None),
    ("penalty", "manual", "generated_j", "item_wrong_route"),
    ("supervision", "manual", "penalty", "item_wrong_route"),
    ("supervision", "manual", "generated_j", None),
    ("supervision", "manual", "declaration", None),
    ("supervision", "auto", "declaration", "item_automatic"),
    ("external", "manual", "generated_w", None),
    ("external", "manual", "generated_j", "item_wrong_route"),
    ("manual", "manual", "generated_w", "item_wrong_route"),
    ("manual", "manual", "generated_j", None),
]


@pytest.mark.parametrize(("route", "collection", "kind", "expected"), ITEMS)
def test_which_items_a_route_takes(route, collection, kind, expected):
    refusal = item_refusal(route=route, item_code="X1", collection=collection, association_kind=kind)
    assert (refusal.code if refusal else None) == expected


def test_wrong_route_names_the_right_one():
    refusal = item_refusal(route="supervision", item_code="P01", collection="manual", association_kind="penalty")
    assert "行政处罚信息" in refusal.message
