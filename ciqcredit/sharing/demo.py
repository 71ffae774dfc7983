"""Demo sharing: a court and a tax authority as partners, with their lists (a few hundred entries each, some not
registered yet), agreements (approved, and one waiting for HQ), and reads of the shared lists. Loaded before the
demo's release decisions, which then apply the joint measures to the listed parties."""

import datetime as dt
import random

from ciqcredit.actors import Actor
from ciqcredit.enterprises.codes import credit_code_check_char
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import Forbidden
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import api_client_create
from ciqcredit.partners.models import Partner
from ciqcredit.partners.services import partner_create, partner_list_create, partner_list_snapshot
from ciqcredit.rating.models import CurrentGrade
from ciqcredit.sharing.access import access_log, shared_read
from ciqcredit.sharing.outbound import list_page
from ciqcredit.sharing.services import agreement_request, sharing_grant

PARTNERS = (
    # code, name, kind, client, (list code, title, kind)
    (
        "900001",
        "最高人民法院",
        "court",
        "court-exchange",
        ("court_dishonest_debtors", "失信被执行人名单", "punishment"),
    ),
    ("900002", "国家税务总局", "tax", "tax-exchange", ("tax_a_grade", "纳税信用A级纳税人名单", "reward")),
    ("900003", "国家市场监督管理总局", "market", "market-exchange", None),
)
SCOPES = ["sharing_read", "external_intake"]


def pending_code(n: int) -> str:
    """A valid credit code of an enterprise not (yet) in the demo registry."""
    first17 = f"91110108{80_000_000 + n:09d}"
    return first17 + credit_code_check_char(first17)


def demo_sharing(*, rng: random.Random, actor: Actor, today: dt.date, secrets: list[tuple[str, str, str, str]]) -> str:
    """`secrets` receives (client name, scopes, partner name, token) of the clients made."""
    if Partner.objects.exists():
        return f"已有合作部门 {Partner.objects.count()} 个，跳过"
    clients: dict[str, User] = {}
    lists = {}
    for code, name, kind, client_name, listed in PARTNERS:
        partner = partner_create(code=code, name=name, kind=kind, actor=actor)
        client, secret = api_client_create(
            name=client_name, title=f"{name}信用信息交换", organization=partner.organization, scopes=SCOPES, actor=actor
        )
        secrets.append((client_name, "、".join(SCOPES), name, secret))
        clients[code] = client
        if listed:
            lists[code] = partner_list_create(
                partner=partner, code=listed[0], title=listed[1], kind=listed[2], actor=actor
            )
    by_grade: dict[str, list[str]] = {}
    for code, grade in CurrentGrade.objects.values_list("enterprise__credit_code", "grade"):
        by_grade.setdefault(grade, []).append(code)
    registered = sorted(Enterprise.objects.filter(status="active").values_list("credit_code", flat=True))
    lowest = by_grade.get("C", []) + by_grade.get("D", [])
    # The court: dishonest judgment debtors, weighted to the lower grades, with some codes not registered yet.
    # A few hundred entries on the full demo (3,000 enterprises), a few per cent of the registry on a smaller one.
    share = max(1, len(registered) // 30)
    debtors = rng.sample(lowest, min(len(lowest), 90, share)) + rng.sample(registered, min(160, 2 * share))
    debtors = sorted(set(debtors)) + [pending_code(n) for n in range(40)]
    court = clients["900001"]
    first = [{"credit_code": c, "reference": f"（{today.year - 1}）执{rng.randint(100, 9999)}号"} for c in debtors]
    partner_list_snapshot(
        partner_list=lists["900001"], entries=first, actor=Actor.of(court), on=today - dt.timedelta(days=100)
    )
    settled = set(rng.sample(debtors, min(30, len(debtors) // 8)))  # paid up: off the list in the second version
    newcomers = [c for c in rng.sample(registered, min(40, share)) if c not in debtors]
    second = [e for e in first if e["credit_code"] not in settled] + [{"credit_code": c} for c in newcomers]
    partner_list_snapshot(
        partner_list=lists["900001"], entries=second, actor=Actor.of(court), on=today - dt.timedelta(days=40)
    )
    # The tax authority: A-grade taxpayers, mostly among the better grades.
    good = by_grade.get("AA", []) + by_grade.get("A", []) + by_grade.get("B", [])
    taxpayers = sorted(set(rng.sample(good, min(len(good), 320, 4 * share)))) + [
        pending_code(100 + n) for n in range(30)
    ]
    partner_list_snapshot(
        partner_list=lists["900002"],
        entries=[{"credit_code": c} for c in taxpayers],
        actor=Actor.of(clients["900002"]),
        on=today - dt.timedelta(days=100),
    )
    court_partner, tax_partner, market = (Partner.objects.get(organization__code=c) for c, *_ in PARTNERS)
    start = today - dt.timedelta(days=120)
    sharing_grant(
        partner=court_partner,
        lists=["serious", "grades"],
        fields=None,
        valid_from=start,
        valid_to=dt.date(today.year + 1, 12, 31),
        purpose="失信被执行人联合惩戒：核查被执行人信用状况",
        actor=actor,
    )
    sharing_grant(
        partner=tax_partner,
        lists=["aa", "grades"],
        fields=["name", "grade", "previous_grade"],
        valid_from=start,
        valid_to=None,
        purpose="守信联合激励：纳税信用评价参考",
        actor=actor,
    )
    agreement_request(
        partner=market,
        lists=["serious"],
        fields=["name", "cause"],
        purpose="市场监管领域失信联合惩戒",
        valid_from=today,
        valid_to=dt.date(today.year + 2, 12, 31),
        actor=actor,
    )
    reads = 0
    for code, list_code in (("900001", "serious"), ("900001", "grades"), ("900002", "aa"), ("900002", "serious")):
        client = clients[code]
        path = f"/api/v1/sharing/lists/{list_code}"
        try:
            grant = shared_read(client, list_code=list_code, fields=None, endpoint=path, params={"after": 0})
        except Forbidden:  # a refused read is logged by shared_read: the demo shows one on purpose
            reads += 1
            continue
        items = list_page(list_code, after=0, limit=500, fields=grant.fields)
        access_log(
            partner=grant.partner,
            client=client,
            agreement=grant.agreement,
            endpoint=path,
            list_code=list_code,
            params={"after": 0, "limit": 500},
            rows=len(items),
        )
        reads += 1
    return (
        f"合作部门 {len(PARTNERS)} 个（人民法院名单 {len(second)} 条、税务名单 {len(taxpayers)} 条，"
        f"其中尚未备案 {40 + 30} 条），共享协议 3 份（1 份待批准），共享读取 {reads} 次"
    )
