"""Staffing and training: pages, API and the all-or-nothing XLSX import, in scope."""

import io

from openpyxl import Workbook

from ciqcredit.organizations.models import StaffingRecord, TrainingRecord
from ciqcredit.organizations.staffing import COLUMNS


def _xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "staffing.xlsx"
    return buffer


def test_import_is_all_or_nothing_and_in_scope(quarter):
    client = quarter.cast.client_for(quarter.bureau_a_user)
    before = StaffingRecord.objects.count()
    bad = _xlsx(
        [
            [
                "475200",
                "检务部门",
                "赵新",
                "检务岗",
                "采集",
                "是",
                "2017-01-01",
                None,
                "信用培训",
                "2017-11-20",
                4,
                "深圳局",
            ],
            ["110000", "检务部门", "钱外", "", "", "否", None, None, None, None, None, None],
            ["475200", "不存在的部门", "孙错", "", "", "也许", None, None, None, None, None, None],
        ]
    )
    r = quarter.cast.api(quarter.staff_token_a).post("/api/v1/staffing/import", {"file": bad})
    assert r.status_code == 422
    errors = r.json()["details"]["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {(3, "单位代码"), (4, "部门"), (4, "专职（是/否）")}
    assert StaffingRecord.objects.count() == before
    good = _xlsx(
        [
            [
                "475200",
                "检务部门",
                "赵新",
                "检务岗",
                "采集",
                "是",
                "2017-01-01",
                None,
                "信用培训",
                "2017-11-20",
                4,
                "深圳局",
            ],
            ["475200", "检务部门", "赵新", None, None, None, None, None, "复训", "2017-12-01", 2, None],
        ]
    )
    r = quarter.cast.api(quarter.staff_token_a).post("/api/v1/staffing/import", {"file": good})
    assert r.status_code == 200 and r.json() == {"people": 1, "trainings": 2}
    assert TrainingRecord.objects.filter(staffing__person_name="赵新").count() == 2
    page = client.get("/supervision/staffing/")
    assert page.status_code == 200 and "赵新" in page.content.decode()


def test_api_lists_and_adds_in_scope(quarter):
    a = quarter.cast.api(quarter.staff_token_a)
    body = a.get("/api/v1/staffing").json()
    assert body["count"] == 4 and {s["organization"] for s in body["items"]} == {"470000", "475200"}
    created = a.post(
        "/api/v1/staffing",
        {"organization": "475200", "department_kind": "inspection", "person_name": "周施检", "full_time": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    trained = a.post(
        f"/api/v1/staffing/{created.json()['id']}/trainings",
        {"title": "信用管理培训", "held_on": "2017-11-03", "hours": "6"},
        content_type="application/json",
    )
    assert trained.status_code == 201 and trained.json()["trainings"][0]["hours"] == "6.0"
    assert (
        a.post(
            "/api/v1/staffing",
            {"organization": "110000", "department_kind": "inspection", "person_name": "外局"},
            content_type="application/json",
        ).status_code
        == 404
    )
    b = quarter.cast.client_for(quarter.bureau_b_user)
    assert b.get("/api/v1/staffing").json()["count"] == 0
    assert (
        b.post(
            f"/api/v1/staffing/{created.json()['id']}/trainings",
            {"title": "x", "held_on": "2017-11-03", "hours": "1"},
            content_type="application/json",
        ).status_code
        == 404
    )
    # A collector reads but does not keep the records.
    collector = quarter.cast.client_for(quarter.branch_a_user)
    r = collector.post(
        "/api/v1/staffing",
        {"organization": "475200", "department_kind": "inspection", "person_name": "无权"},
        content_type="application/json",
    )
    assert r.status_code == 403
