"""`ciqcredit notify_deadlines`: e-mail reminders of deadlines within three working days (defence, answer,
objection review, unread notices). Idempotent; run it daily from cron or a timer, after `deliver_notices`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ciqcredit.audit.context import request_context
from ciqcredit.portal.reminders import reminders_send


class Command(BaseCommand):
    help = "到期提醒：三个工作日内到期的陈述申辩、答复、异议复核和未查阅的告知书，按电子邮箱发送提醒"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        with request_context():
            sent = reminders_send()
        if options["json"]:
            self.stdout.write(json.dumps({"sent": len(sent)}))
        else:
            self.stdout.write(f"已发送到期提醒 {len(sent)} 条")
