from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization
from ciqcredit.organizations.roles import Scope
from ciqcredit.organizations.services import api_client_create


class Command(BaseCommand):
    help = "新建系统接入账号（企业管理系统、e-CIQ、其他监管部门）；最后一行输出令牌（仅显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--org", required=True, help="所属机构代码（数据范围）")
        parser.add_argument("--scope", nargs="+", required=True, choices=Scope.values)
        parser.add_argument("--title", default="", help="系统名称（页面上显示），如“e-CIQ 主干系统”")

    def handle(self, *args, **opts):
        org = Organization.objects.filter(code=opts["org"]).first()
        if org is None:
            raise CommandError(f"机构代码“{opts['org']}”不存在 [unknown_org_code]")
        try:
            client, secret = api_client_create(
                name=opts["name"],
                title=opts["title"],
                organization=org,
                scopes=opts["scope"],
                actor=Actor.job("create_api_client"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"已创建接入账号 {client.username}，权限范围：{', '.join(client.scopes)}")
        self.stdout.write(secret)
