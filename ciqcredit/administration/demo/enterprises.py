"""Demo step: a few thousand enterprises, generated from a seed and imported through the import service.

The rows are a pure function of (count, seed): the same command gives the same registry on any machine.
"""

import datetime as dt
import random
from typing import Any

from ciqcredit.actors import Actor
from ciqcredit.administration.demo.names import (
    COMPANY_FORMS,
    GIVEN,
    INDUSTRIES,
    SURNAMES,
    TRADE_NAMES,
    VEHICLE_PREFIX,
    VESSEL_PREFIX,
)
from ciqcredit.administration.demo.places import ALL_ORGS, DemoOrg
from ciqcredit.administration.demo.run import DEMO_PASSWORD, DemoRun, Login
from ciqcredit.enterprises.codes import credit_code_check_char
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.enterprises.services import enterprises_import
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.organizations.services import user_create
from ciqcredit.testing import org_code_for

# Serial numbers of the demo's organization codes start here, away from the small numbers tests use.
SERIAL_BASE = 60_000_000
FIRST_DAY, LAST_DAY = dt.date(2003, 1, 1), dt.date(2017, 9, 30)
# Share of each kind of subject among the generated rows, and of cancelled (注销) ones.
KIND_WEIGHTS = {"company": 90, "vessel": 4, "conveyance": 3, "natural_person": 3}
CANCELLED_SHARE = 0.02
# Enterprise users: one per bureau, bound to the first active company registered at one of its branches.
ENTERPRISE_USERS = (("ent_sz", "470000"), ("ent_sh", "310000"), ("ent_nb", "380000"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _credit_code(kind_digit: str, area: str, serial: int) -> str:
    first17 = kind_digit + area + org_code_for(serial)
    return first17 + credit_code_check_char(first17)


def _company_name(rng: random.Random, org: DemoOrg, seen: set[str]) -> tuple[str, tuple[str, str, tuple[str, ...]]]:
    for _ in range(20):
        industry = rng.choice(INDUSTRIES)
        name = f"{org.city}{rng.choice(TRADE_NAMES)}{industry[0]}{rng.choice(COMPANY_FORMS)}"
        if name not in seen:
            return name, industry
    # Crowded: two trade names side by side, still unique by construction of the serial suffix below.
    name = f"{org.city}{rng.choice(TRADE_NAMES)}{rng.choice(TRADE_NAMES)}{industry[0]}有限公司"
    n = 2
    while name in seen:
        name, n = f"{name[:-4]}第{n}有限公司", n + 1
    return name, industry


def demo_enterprise_rows(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(f"enterprises:{seed}")
    orgs = list(ALL_ORGS)
    weights = [o.share for o in orgs]
    kinds = list(KIND_WEIGHTS)
    kind_weights = list(KIND_WEIGHTS.values())
    span = (LAST_DAY - FIRST_DAY).days
    seen: set[str] = set()
    rows = []
    for i in range(count):
        org = rng.choices(orgs, weights)[0]
        district = rng.choice(org.districts)
        kind = rng.choices(kinds, kind_weights)[0]
        serial = SERIAL_BASE + i
        address = f"{org.city}{district.name}{rng.choice(district.streets)}{rng.randint(1, 3000)}号"
        row: dict[str, Any] = {
            "credit_code": _credit_code("91", district.area_code, serial),
            "org_code": org_code_for(serial),
            "ciq_registration_no": f"{org.code[:4]}6{i:05d}",
            "legal_representative": _person(rng),
            "address": address,
            "registering_org": org.code,
            "registered_on": (FIRST_DAY + dt.timedelta(days=rng.randint(0, span))).isoformat(),
            "status": "cancelled" if rng.random() < CANCELLED_SHARE else "active",
        }
        if kind == "company":
            name, (_, business, types) = _company_name(rng, org, seen)
            # Some exporters also register for certificates of origin.
            extra = ["origin_certificate"] if "exporter" in types and "origin_certificate" not in types else []
            extra = extra if rng.random() < 0.15 else []
            row |= {"name": name, "main_business": business, "types": [*types, *extra]}
        elif kind == "vessel":
            name = f"{VESSEL_PREFIX[org.city]}{rng.choice('货油集运海')}{rng.randint(1, 999)}轮"
            row |= {"name": name, "main_business": "国际航行船舶运输", "types": ["vessel"]}
        elif kind == "conveyance":
            plate = f"{VEHICLE_PREFIX[org.city]}{rng.choice('ABCDEFGHJK')}{rng.randint(1000, 9999)}"
            row |= {"name": f"{plate} 跨境货运车辆", "main_business": "跨境公路货物运输", "types": ["conveyance"]}
        else:  # a natural person: registration-authority code 9, type 2 (个体工商户), no organization code
            while row["legal_representative"] in seen and rng.random() < 0.95:
                row["legal_representative"] = _person(rng)
            row |= {
                "credit_code": _credit_code("92", district.area_code, serial),
                "org_code": "",
                "name": row["legal_representative"],
                "main_business": "个人进境物品、小额边境贸易",
                "types": ["natural_person"],
                "ciq_registration_no": "",
            }
        if row["name"] in seen:  # vessels and vehicles are few; a repeated plate or hull number gets a suffix
            row["name"] = f"{row['name']}（{i}）"
        seen.add(row["name"])
        rows.append(row)
    return rows


def demo_enterprises(run: DemoRun) -> str:
    rows = demo_enterprise_rows(run.enterprises, run.seed)
    codes = [r["credit_code"] for r in rows]
    existing: set[str] = set()
    for start in range(0, len(codes), 1000):  # bounded IN lists, whatever --enterprises asks for
        chunk = Enterprise.objects.filter(credit_code__in=codes[start : start + 1000])
        existing.update(chunk.values_list("credit_code", flat=True))
    new_rows = [(line, row) for line, row in enumerate(rows, start=1) if row["credit_code"] not in existing]
    if not new_rows:
        return f"企业 {len(rows)} 家均已存在"
    # The enterprise management system is where enterprise information comes from (§三(一)).
    system = User.objects.filter(username="qygl-system").first()
    actor = Actor.of(system) if system is not None else run.actor
    result = enterprises_import(rows=new_rows, actor=actor, source="demo")
    if result.rejected:
        first = result.rejected[0]
        raise DomainError(
            "demo_import_failed",
            f"演示企业导入失败：第{first.line}行 {first.field} {first.message}（共{len(result.rejected)}处）",
        )
    return f"导入企业 {result.created} 家（共 {len(rows)} 家，含船舶、交通工具、自然人及少量注销企业）"


def _enterprise_for(bureau_code: str, rows: list[dict[str, Any]]) -> str | None:
    branches = {o.code for o in ALL_ORGS if o.parent == bureau_code}
    for row in rows:
        if row["registering_org"] in branches and row["status"] == "active" and row["org_code"]:
            if "vessel" not in row["types"] and "conveyance" not in row["types"]:
                return row["credit_code"]
    return None


def demo_enterprise_users(run: DemoRun) -> str:
    rows = demo_enterprise_rows(run.enterprises, run.seed)
    created = 0
    for username, bureau_code in ENTERPRISE_USERS:
        code = _enterprise_for(bureau_code, rows)
        if code is None or User.objects.filter(username=username).exists():
            continue
        enterprise = Enterprise.objects.select_related("registering_org").get(credit_code=code)
        user_create(
            username=username,
            organization=enterprise.registering_org,
            department_kind=None,
            roles=[Role.ENTERPRISE],
            password=DEMO_PASSWORD,
            full_name=enterprise.legal_representative,
            enterprise=enterprise,
            actor=run.actor,
        )
        created += 1
    return f"新建企业用户 {created} 个"


def enterprise_logins() -> list[Login]:
    users = User.objects.filter(username__in=[u for u, _ in ENTERPRISE_USERS]).select_related("enterprise")
    found = {u.username: u for u in users}
    logins = []
    for username, _ in ENTERPRISE_USERS:
        user = found.get(username)
        if user is not None and user.enterprise is not None:
            logins.append(Login(username, DEMO_PASSWORD, Role.ENTERPRISE.label, user.enterprise.name))
    return logins
