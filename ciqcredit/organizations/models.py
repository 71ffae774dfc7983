from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from ciqcredit.organizations.roles import DepartmentKind, Level, Role, Scope
from ciqcredit.organizations.validators import validate_org_code


class Organization(models.Model):
    """HQ, a directly affiliated bureau or a branch. The hierarchy is this table, never the code's digits."""

    code = models.CharField("机构代码", max_length=6, unique=True, validators=[validate_org_code])
    name = models.CharField("机构名称", max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    # Materialized path of codes, "000000/470000/475200/", so a subtree is one indexed prefix match.
    path = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def is_within(self, other: "Organization") -> bool:
        """True when self is other or lies below it."""
        return self.path.startswith(other.path)


class Department(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="departments")
    kind = models.CharField("部门类别", max_length=20, choices=DepartmentKind.choices)
    name = models.CharField("部门名称", max_length=100)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="department_unique_name")]
        ordering = ["organization__path", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.organization.name}{self.name}"


class StaffingRecord(models.Model):
    """A person doing credit work in a department, for §六(一) supervision (staffing and training)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staffing")
    person_name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    credit_duties = models.CharField("信用管理工作职责", max_length=200, blank=True)
    full_time = models.BooleanField("专职", default=False)
    since = models.DateField("起始日期", null=True, blank=True)
    until = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "人员配置"
        verbose_name_plural = "人员配置"

    def __str__(self) -> str:
        return self.person_name


class TrainingRecord(models.Model):
    staffing = models.ForeignKey(StaffingRecord, on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, default=0)
    organizer = models.CharField("主办单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class User(AbstractUser):
    """A person (staff or enterprise user) or, with is_system, an integrating system's API client."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="users")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    full_name = models.CharField("姓名", max_length=50, blank=True)
    roles = models.JSONField("角色", default=list, blank=True)
    # An HQ rule maintainer works for one business department (e.g. 检验监管司), whose items they edit.
    business_department = models.CharField("所属业务司局", max_length=50, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_system = models.BooleanField("系统接入账号", default=False)
    # From this day on the account can neither log in nor use its tokens (temporary staff, secondments).
    expires_on = models.DateField("账号有效期至", null=True, blank=True)
    scopes = models.JSONField("接口权限范围", default=list, blank=True)

    REQUIRED_FIELDS = ["email"]
    objects = UserManager()  # type: ignore[misc]  # django-stubs declare AbstractUser.objects a ClassVar

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def is_expired(self, today) -> bool:
        return self.expires_on is not None and today > self.expires_on

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles if r in Role.values]

    @property
    def is_hq(self) -> bool:
        return self.organization.level == Level.HQ

    @property
    def is_enterprise_user(self) -> bool:
        return Role.ENTERPRISE in self.roles


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the secret is shown once when it is made."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)  # first characters, to tell tokens apart in lists
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)  # None: until revoked

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user.username} {self.prefix}…"


__all__ = ["ApiToken", "Department", "DepartmentKind", "Organization", "Role", "Scope", "StaffingRecord", "User"]
