"""Demo release decisions: what e-CIQ would have asked over the last months, decided by the real service.

Declarations are generated from a seeded random source (one to three parties, now and then a party the
registry does not know), grouped by business day and passed to `decisions_make` a day at a time, so the
party lookups and inserts are set-based and every demo decision is exactly what the platform would answer.
"""

import datetime as dt
import random

from django.db.models import Count, Q
from django.utils import timezone

from ciqcredit.application.models import Decision, PartyRole
from ciqcredit.application.services import DecisionRequest, decisions_make
from ciqcredit.enterprises.codes import credit_code_check_char
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.organizations.models import User

UNKNOWN_PARTY_SHARE = 0.03
ROLES = [PartyRole.CONSIGNEE, PartyRole.CONSIGNOR]


def unknown_code(n: int) -> str:
    """A valid credit code no demo enterprise has (the demo registry's codes come from its own series)."""
    first17 = f"92440300{90_000_000 + n:09d}"
    return first17 + credit_code_check_char(first17)


def demo_decisions(*, rng: random.Random, client: User, today: dt.date, days: int = 92, per_day: int = 200) -> str:
    if Decision.objects.exists():
        return f"已有 {Decision.objects.count()} 项放行决定，跳过"
    rows = list(Enterprise.objects.filter(status="active").values_list("credit_code", "registering_org__code", "types"))
    if not rows:
        return "尚无企业，跳过"
    agents = [r for r in rows if ";agent;" in r[2]] or rows
    serial = 0
    for offset in range(days, -1, -1):  # up to today: grades confirmed today already govern
        day = today - dt.timedelta(days=offset)
        if day.weekday() >= 5 and rng.random() < 0.7:
            continue  # fewer declarations at weekends
        requests = []
        for _ in range(rng.randint(per_day * 3 // 4, per_day * 5 // 4)):
            serial += 1
            code, org_code, _ = rng.choice(rows)
            parties = [(code, rng.choice(ROLES))]
            if rng.random() < 0.4:
                parties.append((rng.choice(agents)[0], PartyRole.AGENT))
            if rng.random() < UNKNOWN_PARTY_SHARE:
                parties.append((unknown_code(serial), PartyRole.PRODUCER))
            area = "inspection" if rng.random() < 0.2 else "declaration_release"
            number = f"{org_code[:4]}{day:%y%m%d}{serial:07d}"
            requests.append(DecisionRequest(number, area, tuple(parties), day, org_code))
        decided_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, rng.randint(0, 59))))
        decisions_make(requests=requests, actor=client, decided_at=decided_at)
    figures = Decision.objects.aggregate(n=Count("id"), inspected=Count("id", filter=Q(inspect=True)))
    return f"近{days}天 e-CIQ 放行决定 {figures['n']} 项，其中查验 {figures['inspected']} 项"
