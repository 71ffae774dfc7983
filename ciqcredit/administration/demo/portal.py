"""Demo of the enterprise's side (issue 13): enterprise logins in different situations, made with the services.

- `ent_notice`: a downgrade case whose written notice was sent to the enterprise's account and is still unread;
- `ent_defence`: a serious-list case whose notice the enterprise has opened (delivered electronically), so it is
  in its defence period and may file a defence online;
- `ent_objection`: an enterprise that objected to a recent record; the objection waits for the collecting
  office's review (in its reviewers' 我的待办).
Each enterprise is one the demo's own records put in that situation (a case waiting for its notice, a recent
record); should the year's records have made no serious-list case, one is made from two serious, penalised
records collected and confirmed today.
Every login has an e-mail address, so the notifications land in the demo's mail folder (var/mail).
"""

import datetime as dt

from django.db.models import Exists, OuterRef

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.administration.demo.run import DEMO_PASSWORD, DemoRun, Login
from ciqcredit.collection.choices import RecordStatus, Route
from ciqcredit.collection.demo import _items_by_route, _staff
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.objections import objection_file
from ciqcredit.collection.services import record_confirm, record_create
from ciqcredit.dynamic.electronic import notice_open, notice_send_electronic
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase, Notice
from ciqcredit.dynamic.notices import notice_holds
from ciqcredit.enterprises.models import Enterprise, EnterpriseStatus
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.organizations.services import user_create

# (username, situation shown with the login)
PORTAL_USERS = (
    ("ent_notice", "企业用户：有待查阅的书面告知书"),
    ("ent_defence", "企业用户：处于陈述申辩期"),
    ("ent_objection", "企业用户：有待复核的异议"),
)
SITUATION = dict(PORTAL_USERS)


def _without_users():
    return ~Exists(User.objects.filter(enterprise=OuterRef("enterprise")))


def _account(username: str, enterprise: Enterprise, actor: Actor) -> User:
    user, _ = user_create(
        username=username,
        organization=enterprise.registering_org,
        department_kind=None,
        roles=[Role.ENTERPRISE],
        password=DEMO_PASSWORD,
        full_name=enterprise.legal_representative or "企业联系人",
        enterprise=enterprise,
        actor=actor,
    )
    user.email = f"{username}@example.com"
    user.save(update_fields=["email"])
    return user


def _officer(case: DynamicCase) -> Actor:
    """The responsible office's credit officer (or its bureau's), who sends the notice."""
    for org in (case.organization, case.organization.parent):
        for user in User.objects.filter(organization=org, is_active=True, is_system=False).order_by("username"):
            if user.has_role(Role.BUREAU_CREDIT):
                return Actor.of(user)
    return Actor.job("demo")


def _notice_to_read(run: DemoRun) -> str:
    """A notice waiting for delivery whose statement still holds today (a periodic result confirmed since would
    make its delivery redraft it); a downgrade's first."""
    today = clock.today()
    cases = (
        DynamicCase.objects.filter(status=CaseStatus.AWAITING_NOTICE)
        .filter(_without_users())
        .select_related("enterprise__registering_org", "organization")
        .order_by("kind", "-opened_at", "id")
    )
    for case in cases[:100]:
        notice = case.notice
        if notice is not None and notice_holds(notice, today):
            _account("ent_notice", case.enterprise, run.actor)
            notice_send_electronic(notice=notice, actor=_officer(case))
            return f"{case.enterprise.name}（告知书{notice.number}待查阅）"
    return "无待送达的降级告知书"


def _defence_period(run: DemoRun) -> str:
    case = (
        DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.AWAITING_NOTICE)
        .filter(_without_users())
        .select_related("enterprise__registering_org", "organization")
        .order_by("-opened_at", "id")
        .first()
    )
    if case is None:
        case, why = _serious_case()
        if case is None:
            return why
    notice = case.notice
    assert notice is not None  # a serious-list case is drafted with its notice
    user = _account("ent_defence", case.enterprise, run.actor)
    notice_send_electronic(notice=notice, actor=_officer(case))
    shown = notice_open(notice=Notice.objects.get(pk=notice.pk), actor=Actor.of(user))
    return f"{case.enterprise.name}（告知书{shown.number}已电子送达，陈述申辩期中）"


def _serious_case() -> tuple[DynamicCase | None, str]:
    """When the year's records made no listing case: two serious items, penalised, collected by a case-closing
    department and confirmed today (36 points)."""
    today = clock.today()
    items = sorted(
        (i for i in _items_by_route(today).get(Route.PENALTY, []) if i.serious and i.points >= 12),
        key=lambda i: -i.points,
    )
    _, case_collectors, reviewers = _staff()
    enterprises = (
        Enterprise.objects.filter(status=EnterpriseStatus.ACTIVE, users__isnull=True, dynamic_cases__isnull=True)
        .exclude(org_code="")
        .select_related("registering_org")
        .order_by("credit_code")
    )
    for enterprise in enterprises[:200]:
        usable = [i for i in items if i.applies_to(enterprise.type_slugs)]
        collectors = case_collectors.get(enterprise.registering_org_id)
        if usable and collectors and reviewers.get(enterprise.registering_org_id):
            break
    else:
        return None, "无可用的严重违法条目、企业或人员"
    points, day, serial = 0, today - dt.timedelta(days=40), 0
    while points < 36:
        serial += 1
        record = record_create(
            actor=Actor.of(collectors[0]),
            route=Route.PENALTY,
            credit_code=enterprise.credit_code,
            item_code=usable[0].code,
            occurred_on=day,
            discovered_on=day,
            verified_on=today - dt.timedelta(days=1),
            description=f"{usable[0].name}（演示数据，已作出行政处罚决定）",
            association_no=f"{enterprise.registering_org.code}罚〔{today.year}〕D{serial}号",
            declarant_no=f"{enterprise.registering_org.code}{serial:04d}" if usable[0].declarant_required else "",
            submit=True,
        )
        staff = reviewers[enterprise.registering_org_id]
        people = [u for u in staff if u.department_id == record.review_department_id] or staff
        record_confirm(record=record, actor=Actor.of(people[0]))
        points += record.points
        day += dt.timedelta(days=7)
    case = DynamicCase.objects.filter(enterprise=enterprise, kind=CaseKind.SERIOUS_LIST).order_by("-id").first()
    return case, f"{enterprise.name}未达到列入条件"


def _open_objection(run: DemoRun) -> str:
    since = clock.now() - dt.timedelta(days=10)
    record = (
        CreditRecord.objects.filter(status=RecordStatus.EFFECTIVE, effective_at__gte=since, points__gt=0)
        .filter(enterprise__status=EnterpriseStatus.ACTIVE)
        .exclude(enterprise__users__isnull=False)
        .exclude(enterprise__dynamic_cases__isnull=False)
        .select_related("enterprise__registering_org")
        .order_by("-effective_at", "id")
        .first()
    )
    if record is None:
        return "近期无生效的信用信息"
    user = _account("ent_objection", record.enterprise, run.actor)
    objection_file(
        record=record,
        reasons="该批货物的不合格系运输途中包装破损所致，已由承运人出具证明，请予核实并撤销该信息。",
        actor=Actor.of(user),
    )
    return f"{record.enterprise.name}（对{record.association_no}的异议待复核）"


def demo_portal(run: DemoRun) -> str:
    if User.objects.filter(username__in=[u for u, _ in PORTAL_USERS]).exists():
        return "已存在"
    done = [_notice_to_read(run), _defence_period(run), _open_objection(run)]
    return "；".join(done)


def portal_logins() -> list[Login]:
    users = User.objects.filter(username__in=list(SITUATION)).select_related("enterprise")
    return [
        Login(u.username, DEMO_PASSWORD, SITUATION[u.username], u.enterprise.name if u.enterprise else "")
        for u in sorted(users, key=lambda u: list(SITUATION).index(u.username))
    ]
