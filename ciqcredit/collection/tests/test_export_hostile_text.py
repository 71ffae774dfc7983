"""The records XLSX export writes whatever text is stored: control characters are dropped (XLSX cannot hold
them; one was a 500 for everyone in scope) and text that looks like a formula stays text."""

import io

from openpyxl import load_workbook

from ciqcredit.actors import Actor
from ciqcredit.collection.services import record_create
from ciqcredit.collection.tests.conftest import supervision_args
from ciqcredit.enterprises.models import Enterprise

HOSTILE = "=cmd|' /C calc'!A0\u0001深圳"


def test_export_survives_control_characters_and_never_writes_formulas(world):
    record_create(actor=Actor.of(world.branch_a_user), submit=True, **supervision_args(world))
    # Stored before input was checked (or by a path that does not check): the export must still work.
    Enterprise.objects.filter(pk=world.enterprise.pk).update(name=HOSTILE)
    response = world.client_for(world.bureau_a_user).get("/records/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    name_cell = sheet.cell(row=2, column=3)
    assert name_cell.value == "=cmd|' /C calc'!A0深圳"
    assert name_cell.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
