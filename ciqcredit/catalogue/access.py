"""Who may do what with the published rules (§三(二): business departments propose, HQ publishes).

The rules are national: there is no organization subtree to scope by. Instead:
- `hq_rules` (at HQ) creates and edits drafts and submits them for review; catalogue items only of their
  own business department (`user.business_department`); rule-set parameters and measure lists freely.
- `hq_admin` does all of that for every department, and alone returns and publishes.
- every other role reads published versions only; drafts and versions in review are HQ-only (404 outside).
- system actors (`Actor.job(...)`: the reference loader, the `rules` command) may do everything.
"""

from ciqcredit.actors import Actor
from ciqcredit.errors import Forbidden
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role

EDITOR_ROLES = (Role.HQ_ADMIN, Role.HQ_RULES)
PUBLISHER_ROLES = (Role.HQ_ADMIN,)


def _hq_person_with(user: User, roles: tuple[str, ...]) -> bool:
    return not user.is_system and user.is_hq and user.has_role(*roles)


def may_edit(user: User | None) -> bool:
    return user is None or _hq_person_with(user, EDITOR_ROLES)


def may_publish(user: User | None) -> bool:
    return user is None or _hq_person_with(user, PUBLISHER_ROLES)


def may_edit_department(user: User | None, department: str) -> bool:
    if user is None or _hq_person_with(user, PUBLISHER_ROLES):
        return True
    return may_edit(user) and bool(user.business_department) and user.business_department == department


def may_see_drafts(user: User | None) -> bool:
    """Open versions are HQ's working papers: HQ staff only."""
    return user is None or (not user.is_system and not user.is_enterprise_user and user.is_hq and bool(user.roles))


def require_editor(actor: Actor) -> User | None:
    user = actor.user
    if not may_edit(user):
        raise Forbidden("只有总局规则维护人员和总局管理员可以编辑信用规则", {"roles": list(EDITOR_ROLES)})
    return user


def require_publisher(actor: Actor) -> User | None:
    user = actor.user
    if not may_publish(user):
        raise Forbidden("只有总局管理员可以审核、退回和发布信用规则", {"roles": list(PUBLISHER_ROLES)})
    return user


def require_department(actor: Actor, department: str) -> None:
    user = require_editor(actor)
    if not may_edit_department(user, department):
        own = user.business_department if user is not None else ""
        raise Forbidden(
            f"您只能维护本业务司局（{own or '未设置'}）的条目，不能维护“{department}”的条目",
            {"department": department, "own_department": own},
        )
