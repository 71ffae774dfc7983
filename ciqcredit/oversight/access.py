"""Who may see and do what in supervision.

- A plan is run by its organizing office: its supervisors (督查人员), bureau credit officers or HQ admins
  create plans over the offices below them (督查) or over their own office (自查), and close them.
- The inspectors named in a plan (or a supervisor of the organizing office) fill its sheets and accept or
  return rectification.
- An inspected office's credit officers and supervisors see its sheet and answer its rectification tasks.
- Everyone else: the plan, its sheets and its tasks do not exist (NotFound).
"""

from django.db.models import Q, QuerySet

from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Role
from ciqcredit.oversight.models import InspectionPlan, InspectionSheet, RectificationTask

ORGANIZER_ROLES = (Role.SUPERVISOR, Role.BUREAU_CREDIT, Role.HQ_ADMIN)
OFFICE_ROLES = (Role.SUPERVISOR, Role.BUREAU_CREDIT)
READER_ROLES = (Role.SUPERVISOR, Role.BUREAU_CREDIT, Role.HQ_ADMIN, Role.VIEWER)


def _staff(user: User) -> bool:
    return not user.is_system and not user.is_enterprise_user and bool(user.roles)


def plans_visible(user: User) -> QuerySet[InspectionPlan]:
    """Plans run by the user's subtree, or inspecting an office of it."""
    if not _staff(user):
        return InspectionPlan.objects.none()
    path = user.organization.path
    return InspectionPlan.objects.filter(
        Q(organization__path__startswith=path) | Q(offices__path__startswith=path)
    ).distinct()


def plan_get_for_user(user: User, pk: int) -> InspectionPlan:
    plan = plans_visible(user).filter(pk=pk).select_related("organization", "checklist").first()
    if plan is None:
        raise NotFound("督查计划")
    return plan


def sheets_visible(user: User) -> QuerySet[InspectionSheet]:
    if not _staff(user):
        return InspectionSheet.objects.none()
    path = user.organization.path
    return InspectionSheet.objects.filter(
        Q(plan__organization__path__startswith=path) | Q(office__path__startswith=path)
    )


def sheet_get_for_user(user: User, pk: int) -> InspectionSheet:
    sheet = sheets_visible(user).filter(pk=pk).select_related("plan", "office", "plan__organization").first()
    if sheet is None:
        raise NotFound("督查检查表")
    return sheet


def tasks_visible(user: User) -> QuerySet[RectificationTask]:
    if not _staff(user):
        return RectificationTask.objects.none()
    path = user.organization.path
    return RectificationTask.objects.filter(
        Q(plan__organization__path__startswith=path) | Q(office__path__startswith=path)
    )


def task_get_for_user(user: User, pk: int) -> RectificationTask:
    task = tasks_visible(user).filter(pk=pk).select_related("plan", "office", "item", "plan__organization").first()
    if task is None:
        raise NotFound("整改任务")
    return task


def may_organize(user: User, organization: Organization) -> bool:
    return _staff(user) and user.organization_id == organization.pk and user.has_role(*ORGANIZER_ROLES)


def require_organizer(user: User, organization: Organization) -> None:
    if not may_organize(user, organization):
        raise Forbidden(
            "只有组织单位的督查人员、信用管理人员或总局管理员可以组织督查", {"roles": list(ORGANIZER_ROLES)}
        )


def may_inspect(user: User, plan: InspectionPlan) -> bool:
    if not _staff(user):
        return False
    if plan.inspectors.filter(pk=user.pk).exists():
        return True
    return user.organization_id == plan.organization_id and user.has_role(Role.SUPERVISOR)


def require_inspector(user: User, plan: InspectionPlan) -> None:
    if not may_inspect(user, plan):
        raise Forbidden("只有本计划的检查人员可以填写检查表、验收整改", {"roles": [Role.SUPERVISOR]})


def may_answer(user: User, task: RectificationTask) -> bool:
    return _staff(user) and user.organization_id == task.office_id and user.has_role(*OFFICE_ROLES)


def require_office(user: User, task: RectificationTask) -> None:
    if not may_answer(user, task):
        raise Forbidden("只有整改单位的信用管理人员或督查人员可以报送整改情况", {"roles": list(OFFICE_ROLES)})
