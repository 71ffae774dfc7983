"""`ciqcredit close_evaluations`: results still unconfirmed after the confirmation window take effect as computed.

Idempotent (rows are claimed by a conditional UPDATE); run it daily from cron or a timer.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.audit.context import request_context
from ciqcredit.rating.services.confirmation import evaluations_close


class Command(BaseCommand):
    help = "关闭确认期限已届满的周期评定：未确认的初评结果按初评生效，并标记为未经确认"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context():
            closed = evaluations_close(actor=Actor.job("close_evaluations"))
        if options["json"]:
            self.stdout.write(json.dumps({"closed": {str(k): v for k, v in closed.items()}}))
            return
        if not closed:
            self.stdout.write("没有需要关闭的评定结果")
        for run_id, n in closed.items():
            self.stdout.write(f"评定 {run_id}：{n} 家企业未经确认，按初评结果生效")
