"""Enterprise accounts (企业端账号): created and disabled by the registering organization's staff (issue 13).

An enterprise may have several users; each is an `enterprise` user bound to it, belonging to its registering
organization. Only a bureau credit officer of the registering organization or an organization above it (or HQ's
administrator) keeps them; anyone else gets 404 for the enterprise, as everywhere.
"""

import re

from django.db import transaction

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError, Forbidden, NotFound
from ciqcredit.organizations.access import person_of
from ciqcredit.organizations.accounts import user_deactivate
from ciqcredit.organizations.models import User
from ciqcredit.organizations.roles import Role
from ciqcredit.organizations.services import user_create

ACCOUNT_KEEPERS = (Role.BUREAU_CREDIT, Role.HQ_ADMIN)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def require_account_keeper(actor: Actor, enterprise: Enterprise) -> User:
    user = person_of(actor)
    if user.is_enterprise_user or user.is_system or not enterprise.registering_org.is_within(user.organization):
        raise NotFound("企业")
    if not user.has_role(*ACCOUNT_KEEPERS):
        raise Forbidden(
            "只有备案机构（或其上级机构）的信用管理人员可以管理企业端账号", {"roles": list(ACCOUNT_KEEPERS)}
        )
    return user


@transaction.atomic
def enterprise_account_create(
    *, enterprise: Enterprise, username: str, full_name: str, email: str, actor: Actor
) -> tuple[User, str]:
    """A new user of the enterprise; returns it and its initial password (shown once, to be handed over)."""
    require_account_keeper(actor, enterprise)
    email = (email or "").strip()
    if email and not EMAIL.match(email):
        raise DomainError("invalid_email", "电子邮箱格式不正确", {"field": "email"}, status=422)
    if not (full_name or "").strip():
        raise DomainError("required", "请填写联系人姓名", {"field": "full_name"}, status=422)
    user, password = user_create(
        username=(username or "").strip(),
        organization=enterprise.registering_org,
        department_kind=None,
        roles=[Role.ENTERPRISE],
        full_name=full_name.strip(),
        enterprise=enterprise,
        actor=actor,
    )
    if email:
        user.email = email
        user.save(update_fields=["email"])
    audit_log(
        actor=actor,
        action="portal.account.created",
        target=enterprise,
        organization_id=enterprise.registering_org_id,
        new={"username": user.username, "full_name": user.full_name, "email": email},
    )
    return user, password


@transaction.atomic
def enterprise_account_disable(*, account: User, reason: str, actor: Actor) -> User:
    """Disable an enterprise user: no login, no token, from now on (the account and its history stay)."""
    enterprise = account.enterprise
    if enterprise is None or not account.is_enterprise_user:
        raise NotFound("企业端账号")
    require_account_keeper(actor, enterprise)
    if not (reason or "").strip():
        raise DomainError("missing_reason", "停用账号须说明理由", {"field": "reason"}, status=422)
    user_deactivate(user=account, actor=actor, reason=reason.strip())
    audit_log(
        actor=actor,
        action="portal.account.disabled",
        target=enterprise,
        organization_id=enterprise.registering_org_id,
        new={"username": account.username, "reason": reason.strip()},
    )
    return account
