"""§三(七) field rules: association number typed by route, declarant number, completeness, date logic."""

import datetime as dt

import pytest

from ciqcredit.collection.rules import (
    GENERATE,
    OPTIONAL_ELSE_GENERATE,
    REQUIRED,
    RecordFields,
    association_mode,
    field_errors,
    format_association_no,
)

TODAY = dt.date(2017, 10, 20)


def fields(**overrides) -> RecordFields:
    values = {
        "route": "supervision",
        "association_kind": "declaration",
        "association_no": "470100217000123000",
        "declarant_responsible": False,
        "declarant_required": False,
        "declarant_no": "",
        "description": "报检单证不符",
        "occurred_on": dt.date(2017, 10, 9),
        "discovered_on": dt.date(2017, 10, 10),
        "verified_on": dt.date(2017, 10, 11),
        "today": TODAY,
    }
    values.update(overrides)
    return RecordFields(**values)


def codes(errors) -> list[str]:
    return [e.code for e in errors]


@pytest.mark.parametrize(
    ("route", "kind", "expected"),
    [
        ("eciq", "declaration", (REQUIRED, "")),
        ("penalty", "penalty", (REQUIRED, "")),
        ("supervision", "generated_j", (OPTIONAL_ELSE_GENERATE, "J")),
        ("manual", "generated_j", (OPTIONAL_ELSE_GENERATE, "J")),
        ("external", "generated_w", (GENERATE, "W")),
        ("supervision", "declaration", (REQUIRED, "")),
    ],
)
def test_association_mode_by_route_and_item(route, kind, expected):
    assert association_mode(route=route, association_kind=kind) == expected


def test_complete_record_has_no_errors():
    assert field_errors(fields()) == []


def test_declaration_number_required_for_declaration_items():
    errors = field_errors(fields(association_no=" "))
    assert codes(errors) == ["missing_association_no"]
    assert "报检号/证书号" in errors[0].message


def test_penalty_route_asks_for_the_penalty_document_number():
    errors = field_errors(fields(route="penalty", association_kind="penalty", association_no=""))
    assert "处罚文书号" in errors[0].message


def test_j_items_may_leave_the_number_blank():
    assert field_errors(fields(association_kind="generated_j", association_no="")) == []


def test_w_items_refuse_a_typed_number():
    errors = field_errors(
        fields(route="external", association_kind="generated_w", association_no="ABC"), for_draft=True
    )
    assert codes(errors) == ["association_no_generated"]


def test_declarant_number_required_when_declarant_is_responsible():
    assert codes(field_errors(fields(declarant_responsible=True))) == ["missing_declarant_no"]
    assert codes(field_errors(fields(declarant_required=True))) == ["missing_declarant_no"]
    assert field_errors(fields(declarant_responsible=True, declarant_no="4700012345")) == []


def test_description_required():
    assert codes(field_errors(fields(description="  "))) == ["missing_description"]


def test_a_draft_may_be_incomplete_but_not_illogical():
    incomplete = fields(association_no="", description="")
    assert field_errors(incomplete, for_draft=True) == []
    assert set(codes(field_errors(incomplete))) == {"missing_association_no", "missing_description"}
    illogical = fields(discovered_on=dt.date(2017, 10, 1))
    assert codes(field_errors(illogical, for_draft=True)) == ["dates_out_of_order"]


def test_dates_cannot_be_in_the_future_or_missing():
    errors = field_errors(fields(verified_on=dt.date(2017, 10, 21), occurred_on=None))
    assert sorted(codes(errors)) == ["date_in_future", "missing_date"]


def test_generated_number_format():
    assert format_association_no("J", "475200", dt.date(2017, 10, 9), 7) == "J47520020171009007"
    assert format_association_no("W", "470000", dt.date(2017, 1, 1), 999) == "W47000020170101999"
    with pytest.raises(ValueError):
        format_association_no("J", "475200", dt.date(2017, 10, 9), 1000)
