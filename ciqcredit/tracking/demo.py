"""Demo execution reports: e-CIQ reports how the demo's decisions were carried out, through the real intake.

Nearly every decision is reported as prescribed, a day or two after its business date; the last days are not
reported yet. At one branch (the busiest) execution slips in realistic ways: now and then a declaration drawn
for inspection is released, priority is not given, a review is done more loosely, and a few reports are never
sent. The daily check then raises that branch's tracking items.
"""

import datetime as dt
import random

from django.db.models import Count

from ciqcredit.actors import Actor
from ciqcredit.application.models import Decision
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Level
from ciqcredit.tracking.check import tracking_check
from ciqcredit.tracking.intake import MAX_BATCH, executions_receive
from ciqcredit.tracking.models import Execution, TrackingItem

LOOSER = {"full": "standard", "standard": "simplified", "simplified": "waived", "waived": "waived"}


def demo_executions(*, rng: random.Random, client: User, today: dt.date) -> str:
    if Execution.objects.exists():
        return f"已有 {Execution.objects.count()} 条执行情况，跳过"
    busiest = (
        Decision.objects.filter(organization__level=Level.BRANCH)
        .values_list("organization_id", "organization__code", "organization__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        return "尚无放行决定，跳过"
    slipping_org, _, slipping_name = busiest[:3]
    recent = today - dt.timedelta(days=3)
    items = []
    for pk, on, org_id, org_code, inspect, review, priority in (
        Decision.objects.filter(on__lt=recent)
        .values_list("pk", "on", "organization_id", "organization__code", "inspect", "document_review", "priority")
        .order_by("pk")
    ):
        report = {
            "decision_id": pk,
            "eciq_id": f"EX{pk:010d}",
            "executed_on": (on + dt.timedelta(days=rng.choice((0, 0, 1, 2)))).isoformat(),
            "org_code": org_code,
            "inspected": inspect,
            "document_review": review or "standard",
            "priority_given": priority,
            "outcome": ("failed" if rng.random() < 0.05 else "passed") if inspect else "released",
        }
        if org_id == slipping_org:
            draw = rng.random()
            if draw < 0.03:
                continue  # never reported
            if inspect and draw < 0.15:
                report |= {"inspected": False, "outcome": "released"}
            elif priority and draw < 0.25:
                report["priority_given"] = False
            elif review and draw < 0.08:
                report["document_review"] = LOOSER[review]
        items.append(report)
    actor = Actor.of(client)
    for start in range(0, len(items), MAX_BATCH):
        executions_receive(items=items[start : start + MAX_BATCH], actor=actor)
    result = tracking_check(actor=Actor.job("tracking-check"), today=today)
    open_items = TrackingItem.objects.filter(organization_id=slipping_org).count()
    return (
        f"执行情况 {len(items)} 条；每日检查发现执行偏差 {result.deviations + result.not_reported} 条，"
        f"执行不到位事项 {result.items_raised} 项（其中{slipping_name} {open_items} 项）"
    )
