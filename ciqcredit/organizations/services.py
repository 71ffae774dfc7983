"""Every change to organizations, departments, users and tokens."""

import csv
import datetime as dt
import hashlib
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import Conflict, DomainError
from ciqcredit.organizations.access import require_staffing_editor
from ciqcredit.organizations.accounts import password_check
from ciqcredit.organizations.models import ApiToken, Department, Organization, StaffingRecord, TrainingRecord, User
from ciqcredit.organizations.roles import HQ_CODE, DepartmentKind, Level, Role, Scope
from ciqcredit.organizations.tokencache import forget_tokens
from ciqcredit.organizations.validators import is_valid_org_code

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
TOKEN_PREFIX = "ciq_"


def _org_snapshot(org: Organization) -> dict[str, Any]:
    return {"code": org.code, "name": org.name, "parent": org.parent.code if org.parent else None, "level": org.level}


@transaction.atomic
def organization_create(*, code: str, name: str, parent_code: str | None, actor: Actor) -> Organization:
    if not is_valid_org_code(code):
        raise DomainError("bad_org_code", f"机构代码“{code}”须为6位数字", {"field": "code"})
    if not name.strip():
        raise DomainError("missing_name", "机构名称不能为空", {"field": "name"})
    if Organization.objects.filter(code=code).exists():
        raise DomainError("duplicate_org_code", f"机构代码“{code}”已存在", {"field": "code"}, status=409)
    if parent_code is None:
        if code != HQ_CODE:
            raise DomainError("missing_parent", "除总局外，机构须指定上级机构", {"field": "parent"})
        parent, level, path = None, Level.HQ, f"{code}/"
    else:
        parent = Organization.objects.filter(code=parent_code).first()
        if parent is None:
            raise DomainError("unknown_org_code", f"上级机构代码“{parent_code}”不存在", {"field": "parent"})
        if parent.level == Level.BRANCH:
            raise DomainError("bad_parent", "分支局下不能再设机构", {"field": "parent"})
        level = Level.BUREAU if parent.level == Level.HQ else Level.BRANCH
        path = f"{parent.path}{code}/"
    org = Organization.objects.create(code=code, name=name.strip(), parent=parent, level=level, path=path)
    audit_log(
        actor=actor,
        action="organizations.organization.created",
        target=org,
        new=_org_snapshot(org),
        organization_id=org.id,
    )
    return org


def reference_organizations_load(*, actor: Actor) -> int:
    """Seed HQ and the 35 directly affiliated bureaus; idempotent. Returns how many were created."""
    created = 0
    if not Organization.objects.filter(code=HQ_CODE).exists():
        organization_create(code=HQ_CODE, name="国家质量监督检验检疫总局", parent_code=None, actor=actor)
        created += 1
    with (REFERENCE_DIR / "bureaus.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not Organization.objects.filter(code=row["code"]).exists():
                organization_create(code=row["code"], name=row["name"], parent_code=HQ_CODE, actor=actor)
                created += 1
    return created


def department_get_or_create(*, organization: Organization, kind: str, actor: Actor, name: str = "") -> Department:
    if kind not in DepartmentKind.values:
        raise DomainError("unknown_department_kind", f"未知的部门类别“{kind}”", {"field": "department"})
    dept = Department.objects.filter(organization=organization, kind=kind).order_by("id").first()
    if dept is not None:
        return dept
    with transaction.atomic():
        dept = Department.objects.create(organization=organization, kind=kind, name=name or DepartmentKind(kind).label)
        audit_log(
            actor=actor,
            action="organizations.department.created",
            target=dept,
            new={"organization": organization.code, "kind": kind, "name": dept.name},
            organization_id=organization.id,
        )
    return dept


def _check_roles(roles: list[str], organization: Organization, enterprise: Any) -> None:
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise DomainError("unknown_role", f"未知的角色：{'、'.join(unknown)}", {"field": "role", "roles": unknown})
    if not roles:
        raise DomainError("missing_role", "用户至少须有一个角色", {"field": "role"})
    hq_only = {Role.HQ_ADMIN, Role.HQ_RULES}
    if hq_only.intersection(roles) and organization.level != Level.HQ:
        raise DomainError("role_needs_hq", "总局管理员和规则维护人员只能属于总局", {"field": "role"})
    if Role.ENTERPRISE in roles:
        if enterprise is None:
            raise DomainError("missing_enterprise", "企业用户须绑定一个企业", {"field": "enterprise"})
        if len(roles) > 1:
            raise DomainError("enterprise_role_alone", "企业用户不能兼任其他角色", {"field": "role"})
    elif enterprise is not None:
        raise DomainError("enterprise_for_staff", "只有企业用户可以绑定企业", {"field": "enterprise"})


@transaction.atomic
def user_create(
    *,
    username: str,
    organization: Organization,
    department_kind: str | None,
    roles: list[str],
    actor: Actor,
    password: str | None = None,
    full_name: str = "",
    business_department: str = "",
    enterprise: Any = None,
    expires_on: dt.date | None = None,
) -> tuple[User, str]:
    """Create a person; returns the user and the password (generated when not given, else checked against the
    password policy)."""
    if not username.strip():
        raise DomainError("missing_username", "用户名不能为空", {"field": "username"})
    if User.objects.filter(username=username).exists():
        raise DomainError("duplicate_username", f"用户名“{username}”已存在", {"field": "username"}, status=409)
    _check_roles(roles, organization, enterprise)
    department = (
        department_get_or_create(organization=organization, kind=department_kind, actor=actor)
        if department_kind
        else None
    )
    user = User(
        username=username,
        organization=organization,
        department=department,
        roles=sorted(set(roles)),
        full_name=full_name,
        business_department=business_department,
        enterprise=enterprise,
        expires_on=expires_on,
    )
    if password:
        password_check(password, user)
    else:
        password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(force_insert=True)
    audit_log(
        actor=actor,
        action="organizations.user.created",
        target=user,
        organization_id=organization.id,
        new={
            "username": username,
            "organization": organization.code,
            "roles": user.roles,
            "department": department.kind if department else None,
            "enterprise": getattr(enterprise, "credit_code", None),
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    return user, password


PARTNER_SCOPES = frozenset({Scope.SHARING_READ.value, Scope.EXTERNAL_INTAKE.value})


@transaction.atomic
def api_client_create(
    *, name: str, organization: Organization, scopes: list[str], actor: Actor, title: str = ""
) -> tuple[User, str]:
    """An integrating system: a user with is_system, its scopes, and a first token (returned in clear once).

    `title` is the system's name as people read it (e-CIQ 主干系统); `name` is its account name.
    """
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise DomainError(
            "unknown_scope",
            f"未知或缺少接口权限范围：{'、'.join(unknown) or '（空）'}",
            {"field": "scope", "scopes": unknown, "allowed": list(Scope.values)},
        )
    if organization.level == Level.PARTNER and set(scopes) - PARTNER_SCOPES:
        raise DomainError(
            "partner_scope",
            "合作部门的接入账号只能有“sharing_read”（共享查询）和“external_intake”（信息与名单报送）权限范围",
            {"field": "scope", "allowed": sorted(PARTNER_SCOPES)},
        )
    if User.objects.filter(username=name).exists():
        raise DomainError("duplicate_username", f"名称“{name}”已被使用", {"field": "name"}, status=409)
    client = User(
        username=name,
        organization=organization,
        is_system=True,
        scopes=sorted(set(scopes)),
        full_name=title or name,
        roles=[],
    )
    client.set_unusable_password()
    client.save(force_insert=True)
    audit_log(
        actor=actor,
        action="organizations.api_client.created",
        target=client,
        organization_id=organization.id,
        new={"name": name, "full_name": client.full_name, "organization": organization.code, "scopes": client.scopes},
    )
    _, secret = token_create(user=client, label="初始令牌", actor=actor)
    return client, secret


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, actor: Actor, label: str = "") -> tuple[ApiToken, str]:
    """A new token, valid for settings.API_TOKEN_LIFETIME_DAYS (0: until revoked); the secret is returned once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    days = settings.API_TOKEN_LIFETIME_DAYS
    token = ApiToken.objects.create(
        user=user,
        label=label,
        prefix=secret[:10],
        digest=token_digest(secret),
        created_at=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    audit_log(
        actor=actor,
        action="organizations.token.created",
        target=token,
        organization_id=user.organization_id,
        new={
            "user": user.username,
            "label": label,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        },
    )
    return token, secret


# How long a rotated token keeps working, so the integrating system can switch without an outage.
ROTATION_GRACE_HOURS = 24


@transaction.atomic
def token_rotate(
    *, token: ApiToken, actor: Actor, grace: dt.timedelta = dt.timedelta(hours=ROTATION_GRACE_HOURS)
) -> tuple[ApiToken, str]:
    """A successor token for the same account and label; the old one keeps working for `grace` (so the
    integrating system can switch without an outage) and then expires."""
    if token.revoked_at is not None:
        raise Conflict("token_revoked", "该令牌已撤销，不能轮换；请新建令牌")
    successor, secret = token_create(user=token.user, label=token.label, actor=actor)
    ends = clock.now() + grace
    if token.expires_at is None or token.expires_at > ends:
        old_expiry = token.expires_at
        token.expires_at = ends
        token.save(update_fields=["expires_at"])
        audit_log(
            actor=actor,
            action="organizations.token.rotated",
            target=token,
            organization_id=token.user.organization_id,
            old={"expires_at": old_expiry.isoformat() if old_expiry else None},
            new={"expires_at": ends.isoformat(), "successor": successor.prefix},
        )
        forget_tokens()  # now, and again once committed (a request in between may have kept the old row)
        transaction.on_commit(forget_tokens)
    return successor, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action="organizations.token.revoked",
            target=token,
            organization_id=token.user.organization_id,
            new={"revoked_at": token.revoked_at.isoformat()},
        )
        forget_tokens()  # now, and again once committed (a request in between may have kept the old row)
        transaction.on_commit(forget_tokens)
    return token


# How stale a token's last-used time may get: at most one UPDATE per token per interval on the hot path.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def token_lookup(secret: str) -> ApiToken | None:
    """The valid token behind a bearer secret, with its active user and the user's organization, or None. One
    indexed lookup, and a conditional UPDATE of the last-used time at most every LAST_USED_RESOLUTION."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organization")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = clock.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.user.is_expired(clock.today()):
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token


def token_authenticate(secret: str) -> User | None:
    """The active user behind a valid bearer token, or None (the API asks through `auth.bearer_user`, which keeps
    the answer a second)."""
    token = token_lookup(secret)
    return token.user if token is not None else None


@transaction.atomic
def staffing_record_create(
    *,
    department: Department,
    person_name: str,
    position: str,
    credit_duties: str,
    full_time: bool,
    since: dt.date | None,
    actor: Actor,
    until: dt.date | None = None,
) -> StaffingRecord:
    require_staffing_editor(actor, department.organization)
    record = StaffingRecord.objects.create(
        department=department,
        person_name=person_name,
        position=position,
        credit_duties=credit_duties,
        full_time=full_time,
        since=since,
        until=until,
    )
    audit_log(
        actor=actor,
        action="organizations.staffing.created",
        target=record,
        organization_id=department.organization_id,
        new={"department": department.name, "person_name": person_name, "position": position, "full_time": full_time},
    )
    return record


@transaction.atomic
def training_record_create(
    *, staffing: StaffingRecord, title: str, held_on: dt.date, hours: Decimal, organizer: str, actor: Actor
) -> TrainingRecord:
    require_staffing_editor(actor, staffing.department.organization)
    if not title.strip():
        raise DomainError("missing_field", "培训名称不能为空", {"field": "title"})
    record = TrainingRecord.objects.create(
        staffing=staffing, title=title, held_on=held_on, hours=hours, organizer=organizer
    )
    audit_log(
        actor=actor,
        action="organizations.training.created",
        target=record,
        organization_id=staffing.department.organization_id,
        new={"person_name": staffing.person_name, "title": title, "held_on": held_on.isoformat(), "hours": str(hours)},
    )
    return record
