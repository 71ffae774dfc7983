"""Creates a user. Here rather than in organizations because an enterprise user is bound to an enterprise, and
organizations sits below enterprises in the layers (docs/architecture.md)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import DepartmentKind, Role
from ciqcredit.organizations.services import user_create


class Command(BaseCommand):
    help = "新建用户；最后一行输出密码（仅显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="所属机构代码")
        parser.add_argument("--department", choices=DepartmentKind.values, help="部门类别（不存在时自动创建）")
        parser.add_argument("--role", action="append", required=True, choices=Role.values, help="角色，可重复")
        parser.add_argument("--password")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--business-department", default="", help="总局规则维护人员所属业务司局")
        parser.add_argument("--enterprise", help="企业用户绑定的统一社会信用代码")
        parser.add_argument(
            "--expires-on", type=dt.date.fromisoformat, help="账号有效期至（YYYY-MM-DD），此后不能登录和使用令牌"
        )

    def handle(self, *args, **opts):
        org = Organization.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"机构代码“{opts['org']}”不存在 [unknown_org_code]")
        enterprise = None
        if opts["enterprise"]:
            enterprise = Enterprise.objects.filter(credit_code=opts["enterprise"]).first()
            if enterprise is None:
                raise CommandError(f"企业“{opts['enterprise']}”不存在 [unknown_enterprise]")
        try:
            user, password = user_create(
                username=opts["username"],
                organization=org,
                department_kind=opts["department"],
                roles=opts["role"],
                password=opts["password"],
                full_name=opts["full_name"],
                business_department=opts["business_department"],
                enterprise=enterprise,
                expires_on=opts["expires_on"],
                actor=Actor.job("create_user"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"已创建用户 {user.username}（{org.name}，{'、'.join(user.role_labels)}）")
        self.stdout.write(password)
