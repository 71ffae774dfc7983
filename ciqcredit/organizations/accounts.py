"""Accounts as a government system keeps them: password policy, change and reset, deactivation, and every
login, failed login and logout in the audit log. Login throttling is django-axes' (settings.AXES_*)."""

from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver

from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import HQ_CODE
from ciqcredit.organizations.tokencache import forget_tokens

LOGIN = Actor.job("login")


def password_check(password: str, user: User | None = None) -> None:
    """The configured policy (length, not common, not all digits, not like the username): 422 with every reason."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "weak_password",
            "密码不符合要求：" + "；".join(exc.messages),
            {"field": "password", "reasons": exc.messages},
        ) from None


def _password_set(user: User, password: str, action: str, actor: Actor) -> User:
    password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log(actor=actor, action=action, target=user)
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str, actor: Actor) -> User:
    if not user.check_password(old_password):
        raise DomainError("wrong_password", "原密码不正确", {"field": "old_password"}, status=422)
    return _password_set(user, new_password, "organizations.user.password_changed", actor)


@transaction.atomic
def user_password_reset(*, user: User, new_password: str, actor: Actor) -> User:
    """An administrator sets a new password (the person changes it after logging in)."""
    return _password_set(user, new_password, "organizations.user.password_reset", actor)


@transaction.atomic
def user_deactivate(*, user: User, actor: Actor, reason: str) -> User:
    """The account can no longer log in, and none of its API tokens authenticate."""
    if not reason.strip():
        raise DomainError("missing_reason", "停用账号须说明理由", {"field": "reason"})
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action="organizations.user.deactivated",
            target=user,
            old={"is_active": True},
            new={"is_active": False, "reason": reason},
        )
        forget_tokens()  # now, and again once committed (a request in between may have kept the old row)
        transaction.on_commit(forget_tokens)
    return user


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(actor=Actor.of(user), action="organizations.user.logged_in", target=user, new=_client(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(actor=Actor.of(user), action="organizations.user.logged_out", target=user, new=_client(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    target = user or Organization.objects.filter(code=HQ_CODE).first()
    if target is not None:
        audit_log(
            actor=LOGIN,
            action="organizations.user.login_failed",
            target=target,
            organization_id=getattr(user, "organization_id", None),
            new={"username": username, **_client(request)},
        )


def _client(request) -> dict[str, str]:
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", "")}
