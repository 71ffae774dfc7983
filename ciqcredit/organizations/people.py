"""People by name: what pages show for a user or a stored username (never the username itself when a name exists)."""

from django.utils import timezone

from ciqcredit.organizations.models import Organization, User


def person_name(user: User) -> str:
    """The person's name (an integrating system's title). When another user bears the same name, the person's
    organization tells them apart, and within one organization the day the account was opened: pages never show
    a username."""
    name = user.full_name or user.username
    if not user.full_name:
        return name
    namesakes = User.objects.filter(full_name=user.full_name).exclude(pk=user.pk)
    if not namesakes.exists():
        return name
    where = user.organization.name
    if namesakes.filter(organization_id=user.organization_id).exists():
        opened = timezone.localdate(user.date_joined)
        return f"{name}（{where}，{opened.year}年{opened.month}月{opened.day}日开户）"
    return f"{name}（{where}）"


def person_name_of(username: str) -> str:
    """A username kept as text (audit rows, decisions): the person's name, or the text when no such user exists."""
    user = User.objects.filter(username=username).first()
    return person_name(user) if user is not None else username


def organization_name_of(code: str) -> str:
    name = Organization.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name}（{code}）" if name else code


def enterprise_addresses(enterprise_id: int) -> list[str]:
    """The e-mail addresses of an enterprise's active users (notifications to the enterprise)."""
    users = User.objects.filter(enterprise_id=enterprise_id, is_active=True).exclude(email="")
    return list(users.values_list("email", flat=True))


def staff_addresses(organization: Organization, roles: tuple[str, ...]) -> list[str]:
    """The e-mail addresses of an organization's active staff holding any of `roles`."""
    users = User.objects.filter(organization=organization, is_active=True, is_system=False).exclude(email="")
    return [u.email for u in users.only("email", "roles") if u.has_role(*roles)]
