"""Demo step: a user for every role at HQ, at each bureau and at each branch, and the integrating systems."""

import random
from dataclasses import dataclass

from ciqcredit.administration.demo.names import GIVEN, SURNAMES
from ciqcredit.administration.demo.places import ALL_ORGS
from ciqcredit.administration.demo.run import DEMO_PASSWORD, ClientLine, DemoRun, Login
from ciqcredit.collection.intake import STAGE_DEPARTMENT
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import HQ_CODE, DepartmentKind, Role, Scope
from ciqcredit.organizations.services import api_client_create, user_create


@dataclass(frozen=True)
class DemoPerson:
    username: str
    org_code: str
    department: str | None
    roles: tuple[str, ...]
    business_department: str = ""

    @property
    def full_name(self) -> str:
        rng = random.Random(f"name:{self.username}")  # stable whatever else the demo generates
        return rng.choice(SURNAMES) + rng.choice(GIVEN)


# (username suffix, role, department kind) for every bureau and branch.
LOCAL_STAFF: tuple[tuple[str, str, str], ...] = (
    ("credit", Role.BUREAU_CREDIT, DepartmentKind.CREDIT),
    ("collector", Role.COLLECTOR, DepartmentKind.DECLARATION),
    ("case", Role.COLLECTOR, DepartmentKind.CASE_CLOSING),  # penalties are collected by the 结案部门 only
    ("reviewer", Role.REVIEWER, DepartmentKind.INSPECTION),
    ("supervisor", Role.SUPERVISOR, DepartmentKind.OVERSIGHT),
    ("viewer", Role.VIEWER, DepartmentKind.BUSINESS),
)

# Records that need a judgment are routed to a department's reviewers (e-CIQ: 检务 for the declaration stage,
# 施检 for the inspection stage); every demo office gets a reviewer in each of them, so nothing waits unseen.
ROUTED_REVIEWERS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{kind}_reviewer", Role.REVIEWER, kind)
    for kind in sorted(set(STAGE_DEPARTMENT.values()))
    if not any(role == Role.REVIEWER and dept == kind for _, role, dept in LOCAL_STAFF)
)

HQ_STAFF: tuple[DemoPerson, ...] = (
    DemoPerson("hq_admin", HQ_CODE, DepartmentKind.CREDIT, (Role.HQ_ADMIN,)),
    DemoPerson("hq_rules", HQ_CODE, DepartmentKind.BUSINESS, (Role.HQ_RULES,), "检验监管司"),
    DemoPerson("hq_rules_food", HQ_CODE, DepartmentKind.BUSINESS, (Role.HQ_RULES,), "进出口食品安全局"),
    DemoPerson("hq_customs", HQ_CODE, DepartmentKind.BUSINESS, (Role.HQ_RULES,), "通关业务司"),  # 申报放行
    DemoPerson("hq_supervisor", HQ_CODE, DepartmentKind.OVERSIGHT, (Role.SUPERVISOR,)),
    DemoPerson("hq_viewer", HQ_CODE, DepartmentKind.BUSINESS, (Role.VIEWER,)),
)

# (name, what it is, scopes): the systems named by the guide, all national, so registered at HQ.
DEMO_CLIENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("qygl-system", "企业管理系统", (Scope.ENTERPRISE_SYNC,)),
    ("eciq-main", "e-CIQ 主干系统", (Scope.ECIQ_INTAKE, Scope.ECIQ_DECISION)),
    ("regulator-exchange", "其他部门（信用信息交换）", (Scope.EXTERNAL_INTAKE, Scope.SHARING_READ)),
)


def demo_staff() -> list[DemoPerson]:
    people = list(HQ_STAFF)
    for org in ALL_ORGS:
        people.extend(
            DemoPerson(f"{org.slug}_{suffix}", org.code, kind, (role,))
            for suffix, role, kind in LOCAL_STAFF + ROUTED_REVIEWERS
        )
    return people


def staff_logins() -> list[Login]:
    names = dict(Organization.objects.values_list("code", "name"))
    return [
        Login(p.username, DEMO_PASSWORD, "、".join(Role(r).label for r in p.roles), names.get(p.org_code, p.org_code))
        for p in demo_staff()
    ]


def demo_people(run: DemoRun) -> str:
    orgs = {o.code: o for o in Organization.objects.filter(code__in={p.org_code for p in demo_staff()})}
    existing = set(User.objects.values_list("username", flat=True))
    created = 0
    for person in demo_staff():
        if person.username in existing:
            continue
        user_create(
            username=person.username,
            organization=orgs[person.org_code],
            department_kind=person.department,
            roles=list(person.roles),
            password=DEMO_PASSWORD,
            full_name=person.full_name,
            business_department=person.business_department,
            actor=run.actor,
        )
        created += 1
    return f"新建工作人员账号 {created} 个（共 {len(demo_staff())} 个）"


def demo_api_clients(run: DemoRun) -> str:
    hq = Organization.objects.get(code=HQ_CODE)
    created = 0
    for name, what, scopes in DEMO_CLIENTS:
        scope_text = "、".join(scopes)
        if User.objects.filter(username=name).exists():
            hint = f"（已存在；令牌只在创建时显示，可用 ciqcredit create_token {name} 重新签发）"
            run.clients.append(ClientLine(name, scope_text, what, hint))
            continue
        _, secret = api_client_create(name=name, title=what, organization=hq, scopes=list(scopes), actor=run.actor)
        run.clients.append(ClientLine(name, scope_text, what, secret))
        created += 1
    return f"新建系统接入账号 {created} 个（共 {len(DEMO_CLIENTS)} 个）"
