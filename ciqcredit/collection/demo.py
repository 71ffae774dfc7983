"""Demo data: a year of realistic credit records over the demo enterprises, made through the services.

Each simulated working day pins the platform date (CIQCREDIT_TODAY) so entry dates, deadlines, lateness and
J/W serials come out as they would have on that day. Mostly e-CIQ nonconformities (some needing a 检务 or
施检 judgment), then daily supervision, penalties from the case-closing departments, and other regulators'
notices; most are confirmed by a reviewer within a few days, some are late, a few stay in the queues.
"""

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.test.utils import override_settings

from ciqcredit.actors import Actor
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.intake import eciq_intake, external_intake
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.rules import ROUTE_RULES
from ciqcredit.collection.services import record_confirm, record_create
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import User

DEFAULT_RECORDS = 2000
# Share of each route among the records of a day (data, not branches).
ROUTE_MIX = ((Route.ECIQ, 0.6), (Route.SUPERVISION, 0.27), (Route.PENALTY, 0.03), (Route.EXTERNAL, 0.1))


def _pick_route(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for route, share in ROUTE_MIX:
        total += share
        if roll < total:
            return route
    return ROUTE_MIX[-1][0]


def _items_by_route(on: dt.date) -> dict[str, list]:
    from ciqcredit.catalogue.selectors import items_in_force

    found: dict[str, list] = defaultdict(list)
    for item in items_in_force(on):
        for route, rule in ROUTE_RULES.items():
            if item.collection in rule.item_collections and item.association_kind in rule.association_kinds:
                found[route].append(item)
    return found


def _staff() -> tuple[dict, dict, dict]:
    collectors: dict[int, list[User]] = defaultdict(list)
    case_collectors: dict[int, list[User]] = defaultdict(list)
    reviewers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(is_system=False, is_active=True).select_related("department"):
        if "collector" in user.roles:
            target = case_collectors if user.department and user.department.kind == "case_closing" else collectors
            target[user.organization_id].append(user)
        if "reviewer" in user.roles:
            reviewers[user.organization_id].append(user)
    return collectors, case_collectors, reviewers


def _client(scope: str) -> User | None:
    for user in User.objects.filter(is_system=True, is_active=True).select_related("organization"):
        if scope in user.scopes and user.organization.level == "hq":
            return user
    return next((u for u in User.objects.filter(is_system=True, is_active=True) if scope in u.scopes), None)


def demo_records(*, rng: random.Random, actor: Actor, today: dt.date, count: int = DEFAULT_RECORDS) -> str:
    """Collect about `count` records over the year before `today`; returns a summary line. Idempotent: does
    nothing when records exist. `actor` is unused by the records themselves (each is made by the person or
    system that would make it) and kept for the demo's interface."""
    if CreditRecord.objects.exists():
        return f"已有 {CreditRecord.objects.count()} 条信用信息，跳过"
    enterprises = list(Enterprise.objects.filter(status="active").select_related("registering_org"))
    collectors, case_collectors, reviewers = _staff()
    eciq_client, external_client = _client("eciq_intake"), _client("external_intake")
    days = [today - dt.timedelta(days=n) for n in range(365, -1, -1)]
    days = [d for d in days if d.weekday() < 5]
    rate = count / max(1, len(days))
    made, refused, serial = 0, 0, 0
    pending_review: list[tuple[dt.date, CreditRecord]] = []
    for day in days:
        todays = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        if not todays and not any(when <= day for when, _ in pending_review):
            continue
        with override_settings(CIQCREDIT_TODAY=day):
            items = _items_by_route(day) if todays else {}
            eciq_batch, external_batch = [], []
            for _ in range(todays):
                enterprise = rng.choice(enterprises)
                org = enterprise.registering_org
                route = _pick_route(rng)
                candidates = [i for i in items.get(route, []) if i.applies_to(enterprise.type_slugs)]
                if not candidates:
                    continue
                item = rng.choice(candidates)
                verified = day - dt.timedelta(days=rng.choice([1, 2, 3, 4, 5, 6, 8, 12]))
                discovered = verified - dt.timedelta(days=rng.randint(0, 3))
                occurred = discovered - dt.timedelta(days=rng.randint(0, 20))
                dates: dict[str, Any] = {"occurred_on": occurred, "discovered_on": discovered, "verified_on": verified}
                serial += 1
                if route == Route.ECIQ and eciq_client:
                    eciq_batch.append(
                        {
                            "eciq_id": f"DEMO-ECIQ-{serial:07d}",
                            "credit_code": enterprise.credit_code,
                            "item_code": item.code,
                            "stage": item.stage or "declaration",
                            "association_no": f"{org.code}1{day:%y}{serial:09d}",
                            "org_code": org.code,
                            "description": f"e-CIQ 登记：{item.name}",
                            "declarant_no": f"{org.code}{serial % 10000:04d}" if item.declarant_required else "",
                            **{k: v.isoformat() for k, v in dates.items()},
                        }
                    )
                elif route == Route.EXTERNAL and external_client:
                    external_batch.append(
                        {
                            "external_ref": f"DEMO-EXT-{serial:07d}",
                            "source": rng.choice(["市场监督管理局", "海关", "税务局", "商务主管部门", "消费者投诉"]),
                            "credit_code": enterprise.credit_code,
                            "item_code": item.code,
                            "description": f"外部门通报：{item.name}",
                            **{k: v.isoformat() for k, v in dates.items()},
                        }
                    )
                else:
                    people = (case_collectors if route == Route.PENALTY else collectors).get(org.pk)
                    if not people:
                        continue
                    try:
                        record = record_create(
                            actor=Actor.of(rng.choice(people)),
                            route=route,
                            credit_code=enterprise.credit_code,
                            item_code=item.code,
                            submit=True,
                            description=f"{item.name}（演示数据）",
                            association_no=(
                                f"{org.code}罚〔{day.year}〕{serial}号"
                                if route == Route.PENALTY
                                else f"{org.code}1{day:%y}{serial:09d}"
                                if item.association_kind == "declaration"
                                else ""
                            ),
                            declarant_no=f"{org.code}{serial % 10000:04d}" if item.declarant_required else "",
                            **dates,
                        )
                    except DomainError:
                        refused += 1
                        continue
                    made += 1
                    pending_review.append((day + dt.timedelta(days=rng.choice([0, 1, 2, 3, 7])), record))
            if eciq_batch and eciq_client:
                result = eciq_intake(entries=eciq_batch, actor=Actor.of(eciq_client))
                made, refused = made + result.created, refused + len(result.rejected)
                for out in result.records:
                    if out["status"] == RecordStatus.AWAITING_CONFIRMATION:
                        pending_review.append(
                            (day + dt.timedelta(days=rng.choice([0, 1, 2, 6])), CreditRecord.objects.get(pk=out["id"]))
                        )
            if external_batch and external_client:
                result = external_intake(entries=external_batch, actor=Actor.of(external_client))
                made, refused = made + result.created, refused + len(result.rejected)
                for out in result.records:
                    pending_review.append(
                        (day + dt.timedelta(days=rng.choice([1, 3, 5])), CreditRecord.objects.get(pk=out["id"]))
                    )
            due_now = [p for p in pending_review if p[0] <= day]
            pending_review = [p for p in pending_review if p[0] > day]
            for _, record in due_now:
                _review(record, reviewers, rng)
    awaiting = CreditRecord.objects.filter(status=RecordStatus.AWAITING_CONFIRMATION).count()
    return f"{made} 条信用信息（{awaiting} 条待审核确认，{refused} 条被规则拒绝）"


def _review(record: CreditRecord, reviewers: dict, rng: random.Random) -> None:
    record.refresh_from_db()
    if record.status != RecordStatus.AWAITING_CONFIRMATION:
        return
    staff = reviewers.get(record.organization_id, [])
    if record.review_department_id:
        people = [u for u in staff if u.department_id == record.review_department_id]
    else:
        people = [u for u in staff if u.pk != record.created_by_id]
    if people:
        record_confirm(record=record, actor=Actor.of(rng.choice(people)))
