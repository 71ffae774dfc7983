"""The outbound lists as files: XLSX, CSV and JSON Lines with the SHA-256 of the bytes and the snapshot time."""

import hashlib
import io
import json

from openpyxl import load_workbook

from ciqcredit.sharing.models import AccessLogEntry


def _export(shared, fmt, **params):
    response = shared.read(shared.partners.court_token, "/api/v1/sharing/lists/grades/export", format=fmt, **params)
    assert response.status_code == 200, response.content
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()
    assert response["X-Snapshot-At"].startswith("20")
    return response


def test_the_three_formats_hold_the_same_rows(shared):
    shared.grant(shared.partners.court, ["grades"], fields=["grade", "name"])
    listed = shared.read(shared.partners.court_token, "/api/v1/sharing/lists/grades").json()["items"]
    jsonl = _export(shared, "jsonl")
    rows = [json.loads(line) for line in jsonl.content.decode().splitlines()]
    assert [r["cursor"] for r in rows] == [i["cursor"] for i in listed]
    assert rows[0].keys() >= {"cursor", "kind", "credit_code", "grade", "name"} and "controlled" not in rows[0]
    assert jsonl["X-Next-Cursor"] == str(listed[-1]["cursor"])
    csv_rows = _export(shared, "csv").content.decode("utf-8-sig").splitlines()
    assert csv_rows[0].startswith("游标,") and len(csv_rows) == len(listed) + 1
    book = load_workbook(io.BytesIO(_export(shared, "xlsx").content))
    sheet = book.active
    assert sheet.max_row == len(listed) + 1 and sheet.cell(1, 1).value == "游标"
    logged = AccessLogEntry.objects.filter(endpoint__endswith="/export").order_by("id")
    assert [e.rows for e in logged] == [len(listed)] * 3
    assert all(len(e.params["sha256"]) == 64 for e in logged)


def test_an_export_after_a_cursor_holds_only_what_came_later(shared):
    shared.grant(shared.partners.court, ["grades"])
    listed = shared.read(shared.partners.court_token, "/api/v1/sharing/lists/grades").json()["items"]
    later = _export(shared, "jsonl", after=listed[0]["cursor"])
    assert [json.loads(line)["cursor"] for line in later.content.decode().splitlines()] == [
        i["cursor"] for i in listed[1:]
    ]
