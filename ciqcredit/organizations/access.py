"""Who may see what. Every lookup of an organization-owned object goes through a helper built on these."""

from django.db.models import Q, QuerySet

from ciqcredit.actors import Actor
from ciqcredit.errors import Forbidden, NotFound
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import Level, Role


def org_scope_q(user: User, field: str) -> Q:
    """A filter on `<field>` (a FK to Organization) limiting rows to the user's organization subtree."""
    if user.organization.level == Level.HQ:
        return Q()
    return Q(**{f"{field}__path__startswith": user.organization.path})


def visible_organizations(user: User) -> QuerySet[Organization]:
    if user.is_enterprise_user:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=user.organization.path)


def organization_choices(user: User) -> list[tuple[str, str]]:
    """The organizations a filter may offer the user: theirs and below, branches indented under bureaus."""
    choices = [("", "全部（管辖范围内）")]
    for org in visible_organizations(user).only("code", "name", "level"):
        indent = "\u3000" if org.level == Level.BRANCH else ""
        choices.append((org.code, f"{indent}{org.name}（{org.code}）"))
    return choices


def organization_get_for_user(user: User, code: str) -> Organization:
    org = visible_organizations(user).filter(code=code).first()
    if org is None:
        raise NotFound("机构")
    return org


def person_of(actor: Actor) -> User:
    """The person behind `actor`, for changes only people make: a system job is refused."""
    if actor.user is None:
        raise Forbidden("此操作须由工作人员执行")
    return actor.user


def require_role(user: User, *roles: str, message: str | None = None) -> None:
    if not user.has_role(*roles):
        labels = "、".join(Role(r).label for r in roles)
        raise Forbidden(message or f"此操作需要以下角色之一：{labels}", {"roles": list(roles)})


def require_staff(user: User) -> None:
    if user.is_system or user.is_enterprise_user or not user.roles:
        raise Forbidden("此功能仅限检验检疫机构工作人员使用")


def refuse_partner_client(user: User) -> None:
    """A partner regulator's client reads shared data only through /api/v1/sharing/, within its agreement."""
    if user.organization.level == Level.PARTNER:
        raise Forbidden(
            "合作部门须通过信用信息共享接口（/api/v1/sharing/）按共享协议读取数据",
            {"endpoint": "/api/v1/sharing/lists/{list}"},
            code="sharing_agreement_required",
        )


def require_scope(user: User, scope: str) -> None:
    if not (user.is_system and user.has_scope(scope)):
        raise Forbidden(f"接口令牌缺少权限范围“{scope}”", {"scope": scope}, code="missing_scope")


STAFFING_EDITOR_ROLES = (Role.BUREAU_CREDIT, Role.SUPERVISOR, Role.HQ_ADMIN)


def require_staffing_editor(actor: Actor, organization: Organization) -> None:
    user = actor.user
    if user is None:
        return
    if user.is_enterprise_user or user.is_system or not organization.is_within(user.organization):
        raise NotFound("机构")
    if not user.has_role(*STAFFING_EDITOR_ROLES):
        raise Forbidden(
            "只有信用管理人员、督查人员或总局管理员可以维护人员配置与培训", {"roles": list(STAFFING_EDITOR_ROLES)}
        )
