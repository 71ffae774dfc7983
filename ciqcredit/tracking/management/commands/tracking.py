"""`ciqcredit tracking check [--json]` (the daily job) and `ciqcredit tracking load FILE --client NAME` (back-fill)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import User
from ciqcredit.tracking.check import check_summary, tracking_check
from ciqcredit.tracking.intake import MAX_BATCH, executions_receive


def _entries(path: Path) -> Iterator[Any]:
    """JSON Lines (one report a line) or one JSON document, a list or {"items": [...]}, as the API takes."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("[") or stripped.startswith('{"items"'):
        document = json.loads(text)
        yield from document["items"] if isinstance(document, dict) else document
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"第 {number} 行不是有效的 JSON：{exc.msg} [tracking.bad_line]") from exc


class Command(BaseCommand):
    help = (
        "跟踪落实：check 每日检查（执行偏差、月度查验比例、生成执行不到位事项）；"
        "load 文件 --client 接口账号（补录执行情况）"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="每日检查，可重复执行")
        check.add_argument("--json", action="store_true", help="只输出一个 JSON 对象")
        load = sub.add_parser("load", help="从文件补录 e-CIQ 执行情况（JSON Lines 或 JSON）")
        load.add_argument("file")
        load.add_argument("--client", required=True, help="持有 eciq_intake 权限范围的接口账号")

    def handle(self, *args, **opts) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc

    def _check(self, opts: dict[str, Any]) -> None:
        summary = check_summary(tracking_check(actor=Actor.job("tracking-check")))
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"检查日 {summary['today']}（报送期限已过：{summary['report_cutoff']} 及以前的决定）："
            f"新执行偏差 "
            f"{summary['deviations']} 条，逾期未报送 {summary['not_reported']} 条，查验比例超出容许偏差 "
            f"{summary['cells_flagged']} 个，新执行不到位事项 {summary['items_raised']} 项，"
            f"用时 {summary['seconds']} 秒"
        )

    def _load(self, opts: dict[str, Any]) -> None:
        client = User.objects.filter(username=opts["client"], is_system=True, is_active=True).first()
        if client is None:
            raise CommandError(f"接口账号“{opts['client']}”不存在 [tracking.unknown_client]")
        totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        rejected: list[dict[str, Any]] = []
        batch: list[Any] = []
        offset = 0

        def flush() -> None:
            nonlocal offset
            result = executions_receive(items=batch, actor=Actor.of(client)).as_dict()
            for key in totals:
                totals[key] += result[key]
            rejected.extend({**item, "index": item["index"] + offset} for item in result["items"] if not item["ok"])
            offset += len(batch)
            batch.clear()

        for entry in _entries(Path(opts["file"])):
            batch.append(entry)
            if len(batch) == MAX_BATCH:
                flush()
        if batch:
            flush()
        self.stdout.write(json.dumps({**totals, "rejected_items": rejected[:100]}, ensure_ascii=False))
