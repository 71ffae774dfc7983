"""`ciqcredit evaluate --period-end YYYY-MM-DD [--json]`: the periodic evaluation of every active enterprise."""

import datetime as dt
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.audit.context import request_context
from ciqcredit.errors import DomainError
from ciqcredit.rating.services.evaluation import evaluation_run, run_summary


class Command(BaseCommand):
    help = "周期评定：按评定周期截止日，为全部正常状态企业计算初评等级"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period-end", required=True, help="评定周期截止日 YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="只输出一个 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period_end = dt.date.fromisoformat(options["period_end"])
        except ValueError as exc:
            raise CommandError("--period-end 须为 YYYY-MM-DD 格式的日期") from exc

        def progress(phase: str, entry: dict[str, Any]) -> None:
            print(f"[{entry['seconds']:8.3f}s] {entry['label']}", file=sys.stderr, flush=True)

        try:
            with request_context():
                run = evaluation_run(period_end=period_end, actor=Actor.job("evaluate"), progress=progress)
        except DomainError as exc:
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        summary = run_summary(run)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"周期评定完成：{summary['period_start']} 至 {summary['period_end']}，"
            f"规则第{summary['ruleset_version']}版，"
            f"参评企业 {summary['enterprises']} 家，用时 {summary['seconds']} 秒"
        )
        for grade, n in summary["by_grade"].items():
            self.stdout.write(f"  {grade}级：{n}")
        self.stdout.write(
            f"确认截止 {summary['confirm_until']}，调整截止 {summary['adjust_until']}（评定编号 {summary['run_id']}）"
        )
