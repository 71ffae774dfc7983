"""`ciqcredit workdays add|load|show|seed`: the working-day calendar from the console."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.workdays import calendar, selectors
from ciqcredit.workdays.services import calendar_seed, schedule_load


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期“{text}”无效或格式不正确，应为 YYYY-MM-DD [workdays.bad_date]") from exc


def _failure(exc: DomainError) -> CommandError:
    lines = [f"{exc.message} [{exc.code}]"]
    for error in exc.details.get("errors", []) if isinstance(exc.details, dict) else []:
        lines.append(f"  {error.get('where', '')}：{error.get('message', '')}")
    return CommandError("\n".join(lines))


class Command(BaseCommand):
    help = "工作日历：add 日期 天数（输出 JSON 一行）；load 文件 --year 年份；show 年份；seed"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="起算日加 N 个工作日，输出 JSON")
        add.add_argument("date")
        add.add_argument("days", type=int)
        add.add_argument("--unit", choices=["working", "calendar"], default="working")
        load = sub.add_parser("load", help="装载某年官方节假日安排（CSV 或 JSON）")
        load.add_argument("file")
        load.add_argument("--year", type=int, required=True)
        show = sub.add_parser("show", help="显示某年的节假日与调休安排")
        show.add_argument("year", type=int)
        sub.add_parser("seed", help="从 chinese-calendar 软件包装载（可重复执行）")

    def handle(self, *args, **opts) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise _failure(exc) from exc

    def _add(self, opts: dict) -> None:
        result = calendar.add_days(_date(opts["date"]), opts["days"], opts["unit"])
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))

    def _load(self, opts: dict) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在 [workdays.schedule.no_file]")
        loaded = schedule_load(
            year=opts["year"], content=path.read_bytes(), filename=path.name, actor=Actor.job("workdays-load")
        )
        self.stdout.write(loaded.summary)

    def _show(self, opts: dict) -> None:
        year = opts["year"]
        schedule = selectors.schedule_for_year(year)
        if schedule is None:
            self.stdout.write(f"{year} 年：尚未装载节假日安排，暂按周一至周五为工作日（结果为临时结果）")
            return
        self.stdout.write(
            f"{year} 年：{schedule.get_source_display()}，{schedule.loaded_at:%Y-%m-%d %H:%M} 由 "
            f"{schedule.loaded_by_label} 装载；放假 {schedule.holiday_count} 天，调休上班 {schedule.makeup_count} 天"
        )
        for day in selectors.special_days(year):
            kind = "调休上班" if day.is_workday else "放假"
            self.stdout.write(
                f"{day.date.isoformat()} {'一二三四五六日'[day.date.weekday()]} {kind} {day.name}".rstrip()
            )

    def _seed(self, opts: dict) -> None:
        self.stdout.write(calendar_seed(actor=Actor.job("workdays-seed")))
