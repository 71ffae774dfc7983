"""`ciqcredit workdays add|load|show|seed`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ciqcredit.workdays.models import ScheduleYear


def run(*args) -> list[str]:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_add_prints_the_api_object_on_one_line(seeded):
    lines = run("add", "2017-09-29", "5")
    assert len(lines) == 1
    body = json.loads(lines[0])
    assert body["date"] == "2017-10-12" and body["makeup_workdays"] == ["2017-09-30"] and not body["provisional"]
    assert json.loads(run("add", "2017-09-29", "5", "--unit", "calendar")[0])["date"] == "2017-10-04"


def test_add_refuses_bad_input_with_the_code(seeded):
    with pytest.raises(CommandError, match="workdays.negative_days"):
        run("add", "2017-09-29", "-1")
    with pytest.raises(CommandError, match="workdays.bad_date"):
        run("add", "2017-02-30", "1")


def test_load_then_show(seeded, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节调休\n", encoding="utf-8")
    lines = run("load", str(path), "--year", "2027")
    assert lines == ["已装载 2027 年官方节假日安排：放假 1 天，调休上班 1 天；重新计算期限 0 个"]
    assert ScheduleYear.objects.get(year=2027).loaded_by_label == "system:workdays-load"
    shown = run("show", "2027")
    assert "放假 1 天，调休上班 1 天" in shown[0]
    assert shown[1:] == ["2027-01-01 五 放假 元旦", "2027-02-06 六 调休上班 春节调休"]
    assert "尚未装载" in run("show", "2090")[0]


def test_load_of_a_bad_file_lists_every_error(seeded, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2026-01-01,holiday,\n2027-01-01,fiesta,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("load", str(path), "--year", "2027")
    message = str(exc.value)
    assert "workdays.schedule.invalid" in message and "第 2 行" in message and "第 3 行" in message
    assert not ScheduleYear.objects.filter(year=2027).exists()
    with pytest.raises(CommandError, match="workdays.schedule.no_file"):
        run("load", str(tmp_path / "missing.csv"), "--year", "2027")


def test_seed_is_what_setup_calls(db):
    assert run("seed")[0].startswith("已装载 ")
    assert run("seed")[0].endswith("（已是最新）")
