"""`ciqcredit supervision figures|open_plans`: the §六 figures of an office's subtree, and the scheduled plans.

`open_plans` is idempotent (each scheduled plan has a unique key); run it daily from cron.
"""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.audit.context import request_context
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization
from ciqcredit.oversight.figures import SECTION_LABELS, figure_label, figures_for
from ciqcredit.oversight.services import plans_open_scheduled


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "督查：按机构和期间输出六项督查数据（figures），或开启督查计划安排要求的计划（open_plans）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        figures = sub.add_parser("figures", help="机构（含下级）在期间内的督查数据")
        figures.add_argument("--org", required=True, help="机构代码")
        figures.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        figures.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        figures.add_argument("--json", action="store_true")
        plans = sub.add_parser("open_plans", help="开启已发布的督查计划安排要求开启的计划（可重复执行）")
        plans.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "figures":
            self._figures(options)
        else:
            self._open_plans(options)

    def _figures(self, options: dict[str, Any]) -> None:
        organization = Organization.objects.filter(code=options["org"]).first()
        if organization is None:
            raise CommandError(f"没有机构代码为 {options['org']} 的机构")
        try:
            figures = figures_for(organization, _date(options["start"]), _date(options["end"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(f"{organization.name}（含下级）{figures['from']} 至 {figures['to']}")
        for section, label in SECTION_LABELS.items():
            values = figures[section]
            shown = "，".join(
                f"{figure_label(f'{section}.{k}')} {v}" for k, v in values.items() if isinstance(v, int | float)
            )
            self.stdout.write(f"{label}：{shown}")

    def _open_plans(self, options: dict[str, Any]) -> None:
        with request_context():
            opened = plans_open_scheduled(actor=Actor.job("open_plans"))
        if options["json"]:
            self.stdout.write(json.dumps({"opened": [p.pk for p in opened]}))
            return
        if not opened:
            self.stdout.write("没有需要开启的督查计划")
        for plan in opened:
            self.stdout.write(f"已开启：{plan.title}（{plan.organization.name}，{plan.offices.count()}个被检查单位）")
