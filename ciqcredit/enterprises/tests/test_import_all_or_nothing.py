"""A file with good and bad rows is refused whole, and every problem is reported with line, field and code."""

import pytest

from ciqcredit.actors import Actor
from ciqcredit.audit.models import AuditEntry
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.tests.registry_files import (
    FORMATS,
    MALFORMED,
    contract_row,
    first_data_line,
    import_file,
    other_char,
    write_registry,
)
from ciqcredit.testing import credit_code_for, org_code_for

SYSTEM = Actor.job("test")


def mixed_rows() -> tuple[list, list[tuple[int, str, str]]]:
    """Rows and the (row index, field, code) of every error they hold."""
    good = credit_code_for(101)
    bad_check = credit_code_for(103)
    org = org_code_for(104)
    rows = [
        contract_row(101),
        contract_row(102, credit_code="91440300MA5"),
        contract_row(102, credit_code="9144O300" + credit_code_for(102)[8:]),
        contract_row(103, credit_code=bad_check[:17] + other_char(bad_check[17])),
        contract_row(104, org_code=org[:8] + other_char(org[8])),
        contract_row(105, registering_org="999999"),
        contract_row(106, types=["importer", "smuggler"]),
        contract_row(101, name="重复的企业"),
        contract_row(108, name="  "),
        contract_row(109, registered_on="2016/03/01"),
        contract_row(110, status="closed"),
        MALFORMED,
        contract_row(112, name="", status="x", registered_on="2016-02-30"),
        contract_row(113, org="475200", types="importer;port_food"),
    ]
    errors = [
        (1, "credit_code", "bad_length"),
        (2, "credit_code", "bad_characters"),
        (3, "credit_code", "bad_check_character"),
        (4, "org_code", "bad_check_character"),
        (5, "registering_org", "unknown_org_code"),
        (6, "types", "unknown_type"),
        (7, "credit_code", "duplicate_in_file"),
        (8, "name", "missing_name"),
        (9, "registered_on", "bad_date"),
        (10, "status", "bad_status"),
        (11, "", "bad_format"),
        (12, "name", "missing_name"),
        (12, "registered_on", "bad_date"),
        (12, "status", "bad_status"),
    ]
    assert good != bad_check
    return rows, errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_mixed_file_is_refused_whole_with_every_error_listed(cast, tmp_path, fmt):
    rows, expected = mixed_rows()
    path = write_registry(tmp_path / f"registry.{fmt}", rows)
    enterprises, audits = Enterprise.objects.count(), AuditEntry.objects.count()

    result = import_file(path, actor=SYSTEM)

    first = first_data_line(fmt)
    assert [(e.line, e.field, e.code) for e in result.rejected] == [(first + i, f, c) for i, f, c in expected]
    assert all(e.message for e in result.rejected)
    assert "第" in result.rejected[6].message  # the duplicate names the line it repeats
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert Enterprise.objects.count() == enterprises
    assert AuditEntry.objects.count() == audits


def test_refusal_after_a_full_batch_rolls_back_what_was_already_written(cast, tmp_path):
    rows = [contract_row(200 + i) for i in range(7)] + [contract_row(300, status="closed")]
    path = write_registry(tmp_path / "registry.csv", rows)
    enterprises, audits = Enterprise.objects.count(), AuditEntry.objects.count()

    result = import_file(path, actor=SYSTEM, batch_size=3)

    assert [(e.line, e.code) for e in result.rejected] == [(9, "bad_status")]
    assert Enterprise.objects.count() == enterprises
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_header_without_contract_columns_is_refused(cast, tmp_path, fmt):
    header = ("credit_code", "name", "types", "registering_org", "status")
    path = write_registry(tmp_path / f"registry.{fmt}", [], header=header)

    result = import_file(path, actor=SYSTEM, partial=True)

    missing = {"org_code", "ciq_registration_no", "legal_representative", "address", "main_business", "registered_on"}
    assert {(e.line, e.field, e.code) for e in result.rejected} == {(1, name, "missing_column") for name in missing}
