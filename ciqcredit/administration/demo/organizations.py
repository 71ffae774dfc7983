"""Demo step: branches under three bureaus, and a department of every kind at each of them."""

from ciqcredit.administration.demo.places import ALL_ORGS, BRANCHES
from ciqcredit.administration.demo.run import DemoRun
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import HQ_CODE, DepartmentKind
from ciqcredit.organizations.services import (
    department_get_or_create,
    organization_create,
    reference_organizations_load,
)

HQ_DEPARTMENTS = (DepartmentKind.CREDIT, DepartmentKind.BUSINESS, DepartmentKind.OVERSIGHT)


def demo_organizations(run: DemoRun) -> str:
    reference_organizations_load(actor=run.actor)
    created = 0
    for branch in BRANCHES:
        if not Organization.objects.filter(code=branch.code).exists():
            organization_create(code=branch.code, name=branch.name, parent_code=branch.parent, actor=run.actor)
            created += 1
    departments = 0
    hq = Organization.objects.get(code=HQ_CODE)
    for kind in HQ_DEPARTMENTS:
        department_get_or_create(organization=hq, kind=kind, actor=run.actor)
        departments += 1
    for org in Organization.objects.filter(code__in=[o.code for o in ALL_ORGS]):
        for kind in DepartmentKind:
            department_get_or_create(organization=org, kind=kind, actor=run.actor)
            departments += 1
    return f"新建分支局 {created} 个（共 {len(BRANCHES)} 个）；部门 {departments} 个"
