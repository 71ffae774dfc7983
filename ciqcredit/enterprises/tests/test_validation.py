"""The row validator alone: plain values in, a clean row or every error out (no database)."""

import datetime as dt

from ciqcredit.enterprises.importing import EnterpriseRow, RowValidator
from ciqcredit.enterprises.tests.registry_files import contract_row
from ciqcredit.testing import credit_code_for

ORGS = {"000000", "470000", "475200", "110000"}


def test_valid_row_is_normalized():
    raw = contract_row(1, org_code="D2143569-x".upper(), types="exporter; importer;", status="注销", name=" 某公司 ")

    row = RowValidator(org_codes=ORGS).validate(7, raw)

    assert isinstance(row, EnterpriseRow)
    assert (row.line, row.name, row.org_code, row.types) == (7, "某公司", "D2143569X", ";importer;exporter;")
    assert (row.status, row.registered_on) == ("cancelled", dt.date(2016, 3, 1))


def test_every_bad_field_of_a_row_is_reported():
    raw = {"credit_code": "", "types": ["nope"], "registering_org": "", "registered_on": "yesterday", "status": "?"}

    errors = RowValidator(org_codes=ORGS).validate(3, raw)

    assert [(e.line, e.field, e.code) for e in errors] == [
        (3, "credit_code", "bad_length"),
        (3, "name", "missing_name"),
        (3, "types", "unknown_type"),
        (3, "registering_org", "unknown_org_code"),
        (3, "registered_on", "bad_date"),
        (3, "status", "bad_status"),
    ]


def test_too_long_text_is_refused_not_cut():
    errors = RowValidator(org_codes=ORGS).validate(2, contract_row(2, legal_representative="长" * 51))

    assert [(e.field, e.code) for e in errors] == [("legal_representative", "too_long")]


def test_scope_limits_registering_orgs_and_duplicates_are_remembered():
    validator = RowValidator(org_codes=ORGS, scope={"470000", "475200"})

    assert isinstance(validator.validate(2, contract_row(3, org="475200")), EnterpriseRow)
    assert [e.code for e in validator.validate(3, contract_row(4, org="110000"))] == ["out_of_scope"]
    duplicate = validator.validate(4, contract_row(3, org="475200"))
    assert [(e.code, credit_code_for(3) in e.message, "第2行" in e.message) for e in duplicate] == [
        ("duplicate_in_file", True, True)
    ]
