"""`ciqcredit deliver_notices`: notices sent to an enterprise's account and not opened within the rule set's period
are delivered on their deemed day (ciqcredit/dynamic/electronic.py). Idempotent; run it daily from cron or a timer."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ciqcredit.audit.context import request_context
from ciqcredit.dynamic.electronic import notices_deliver_due


class Command(BaseCommand):
    help = "电子送达：发送至企业账户、期满未查阅的书面告知书，按视为送达日期登记送达"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context():
            handled = notices_deliver_due()
        delivered = [n.number for n in handled if n.delivered]
        redrafted = [n.number for n in handled if not n.delivered]
        if options["json"]:
            self.stdout.write(json.dumps({"delivered": delivered, "redrafted": redrafted}, ensure_ascii=False))
            return
        self.stdout.write(
            f"视为送达的书面告知书 {len(delivered)} 份" + (f"：{'、'.join(delivered)}" if delivered else "")
        )
        if redrafted:
            self.stdout.write(
                f"事实已变化、重新拟制并发送至企业账户的告知书 {len(redrafted)} 份：{'、'.join(redrafted)}"
            )
