"""Registry files for the import tests, written for real to disk in each supported format."""

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ciqcredit.actors import Actor
from ciqcredit.enterprises.importing import CONTRACT_FIELDS, ImportResult, read_rows
from ciqcredit.enterprises.services import enterprises_import
from ciqcredit.testing import credit_code_for, org_code_for

FORMATS = ("csv", "xlsx", "jsonl")
# Stands for a line that cannot be read as a row in the given format (extra cells, broken JSON).
MALFORMED = object()


def contract_row(n: int, org: str = "470000", **changes: Any) -> dict[str, Any]:
    """A valid row in contract terms; `types` as a list (joined with ';' in tabular files)."""
    row = {
        "credit_code": credit_code_for(n),
        "name": f"深圳测试进出口有限公司{n}",
        "org_code": org_code_for(n),
        "ciq_registration_no": f"4700{n:06d}",
        "legal_representative": "陈法人",
        "address": f"深圳市福田区测试路{n}号",
        "main_business": "电子产品进出口",
        "types": ["importer", "exporter"],
        "registering_org": org,
        "registered_on": "2016-03-01",
        "status": "active",
    }
    row.update(changes)
    return row


def first_data_line(fmt: str) -> int:
    """Line number of the first row: tabular files start with a header line."""
    return 1 if fmt == "jsonl" else 2


def _cells(row: dict[str, Any]) -> list[Any]:
    return [";".join(v) if isinstance(v, list) else v for v in (row.get(name, "") for name in CONTRACT_FIELDS)]


def write_registry(
    path: Path, rows: list, *, encoding: str = "utf-8", header: tuple[str, ...] = CONTRACT_FIELDS
) -> Path:
    fmt = path.suffix.lstrip(".")
    if fmt == "csv":
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([*_cells(contract_row(0)), "多余的一列"] if row is MALFORMED else _cells(row))
    elif fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(header))
        for row in rows:
            sheet.append([*_cells(contract_row(0)), "多余的一列"] if row is MALFORMED else _cells(row))
        workbook.save(path)
    elif fmt == "jsonl":
        with path.open("w", encoding=encoding) as handle:
            for row in rows:
                line = '{"credit_code": "91' if row is MALFORMED else json.dumps(row, ensure_ascii=False)
                handle.write(line + "\n")
    else:
        raise ValueError(fmt)
    return path


def import_file(path: Path, *, actor: Actor, partial: bool = False, **kwargs: Any) -> ImportResult:
    """Read and import a registry file the way the command does."""
    with path.open("rb") as handle:
        rows = read_rows(handle, path.suffix.lstrip("."))
        return enterprises_import(rows=rows, actor=actor, partial=partial, **kwargs)


def other_char(current: str) -> str:
    """A different, otherwise valid character: turns a good check character into a bad one."""
    return "0" if current != "0" else "1"
