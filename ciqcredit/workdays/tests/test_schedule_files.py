"""Reading official schedule files: pure, no database. Every problem is reported at once."""

import datetime as dt
import json

import pytest

from ciqcredit.errors import DomainError
from ciqcredit.workdays.schedule_files import parse_schedule

D = dt.date.fromisoformat
CSV_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n2027-02-07,holiday,春节\n"


def errors_of(content: bytes, filename: str, year: int = 2027) -> list[dict]:
    with pytest.raises(DomainError) as exc:
        parse_schedule(year=year, content=content, filename=filename)
    assert exc.value.code == "workdays.schedule.invalid" and exc.value.status == 422
    assert f"{len(exc.value.details['errors'])} 处错误" in exc.value.message
    return exc.value.details["errors"]


def test_csv_in_utf8_with_bom_and_in_gb18030():
    for content in (("\ufeff" + CSV_2027).encode("utf-8"), CSV_2027.encode("gb18030")):
        parsed = parse_schedule(year=2027, content=content, filename="2027.CSV")
        assert parsed.days == {
            D("2027-01-01"): (False, "元旦"),
            D("2027-02-06"): (True, "春节调休"),
            D("2027-02-07"): (False, "春节"),
        }
        assert (parsed.holiday_count, parsed.makeup_count) == (2, 1)


def test_json_with_names_and_plain_makeup_dates():
    content = json.dumps(
        {
            "year": 2027,
            "holidays": [{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-02-07"}],
            "makeup_workdays": ["2027-02-06", {"date": "2027-02-20", "name": "春节调休"}],
            "notes": "测试用安排",
        }
    ).encode()
    parsed = parse_schedule(year=2027, content=content, filename="a.json")
    assert parsed.days[D("2027-02-07")] == (False, "")
    assert parsed.days[D("2027-02-20")] == (True, "春节调休")
    assert parsed.notes == "测试用安排"


def test_every_bad_csv_row_is_listed_with_its_line():
    content = (
        "date,kind,name\n"
        "2027-01-01,holiday,元旦\n"
        "2026-12-31,holiday,跨年\n"  # 3: outside the year
        "2027-13-01,holiday,\n"  # 4: not a date
        "2027-01-01,workday,\n"  # 5: both holiday and workday
        "2027-01-05,workday,\n"  # 6: a Tuesday cannot be a make-up day
        "2027-02-07,vacation,\n"  # 7: unknown kind
        "2027-02-08\n"  # 8: too few columns
    ).encode()
    errors = errors_of(content, "x.csv")
    assert [(e["line"], e["field"]) for e in errors] == [
        (3, "date"),
        (4, "date"),
        (5, "date"),
        (6, "date"),
        (7, "kind"),
        (8, "row"),
    ]
    assert "同时被列为节假日和调休上班日" in errors[2]["message"]
    assert all(e["message"] for e in errors)


def test_bad_json_is_reported_field_by_field():
    content = json.dumps(
        {
            "year": 2028,
            "holidays": [{"date": "2027-01-01"}, "2027-01-02", {"date": "2027-01-01", "name": "重复"}],
            "makeup_workdays": ["2027-01-01"],
            "colour": "red",
        }
    ).encode()
    errors = errors_of(content, "x.json")
    wheres = [e["where"] for e in errors]
    assert wheres == ["colour", "year", "holidays[1]", "holidays[2]", "makeup_workdays[0]"]


@pytest.mark.parametrize(
    ("content", "filename", "field"),
    [
        (CSV_2027.encode(), "schedule.xlsx", "file"),
        (b"date;kind;name\n", "x.csv", "header"),
        (b"date,kind,name\n", "x.csv", "file"),
        (b"date,kind,name\n2027-02-06,workday,\n", "x.csv", "holidays"),
        (b"{not json", "x.json", "file"),
        (b"[]", "x.json", "file"),
        (b"\xff\xfe\x00garbage\x81\x30", "x.csv", "file"),
    ],
)
def test_files_that_are_not_a_schedule(content, filename, field):
    errors = errors_of(content, filename)
    assert errors[0]["field"] == field
