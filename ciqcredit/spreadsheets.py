"""Cells of every spreadsheet the platform writes: text is always a text cell, never a formula.

A name such as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` is stored as a string cell, which Excel and
LibreOffice show as written and never evaluate; control characters (which XLSX cannot hold) are dropped.
"""

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from ciqcredit.text import without_control_characters


def _as_text(cell: Any) -> Any:
    cell.data_type = "s"  # openpyxl takes a leading `=` for a formula
    return cell


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    if isinstance(value, str):
        _as_text(sheet.cell(row=row, column=column, value=without_control_characters(value)))
    else:
        sheet.cell(row=row, column=column, value=value)


def stream_row(sheet: Any, values: Iterable[Any]) -> None:
    """Appends a row to a write-only sheet, strings as text cells."""
    sheet.append(
        [
            _as_text(WriteOnlyCell(sheet, value=without_control_characters(v))) if isinstance(v, str) else v
            for v in values
        ]
    )
