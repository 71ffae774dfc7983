"""`ciqcredit close_proposals`: downgrade proposals left unconfirmed after their confirmation window proceed as
computed (their notice is drafted, the case flagged 未经确认). Idempotent; run it daily from cron or a timer."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ciqcredit.actors import Actor
from ciqcredit.audit.context import request_context
from ciqcredit.dynamic.services import cases_close_unconfirmed


class Command(BaseCommand):
    help = "关闭确认期限已届满的即时降级初评结果：未确认的按初评结果拟制书面告知书，并标记为未经确认"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context():
            closed = cases_close_unconfirmed(actor=Actor.job("close_proposals"))
        if options["json"]:
            self.stdout.write(json.dumps({"closed": closed}))
        elif closed:
            self.stdout.write(f"{closed} 件即时降级初评结果未经确认，已按初评结果拟制书面告知书")
        else:
            self.stdout.write("没有需要关闭的即时降级初评结果")
