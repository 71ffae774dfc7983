from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.accounts import user_deactivate
from ciqcredit.organizations.models import User


class Command(BaseCommand):
    help = "停用账号（人员或系统接入账号）：此后不能登录，其接口令牌全部失效；须说明理由，记入审计日志"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="停用理由（如调离、离职、系统下线）")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在 [unknown_user]")
        try:
            user_deactivate(user=user, reason=opts["reason"], actor=Actor.job("deactivate_user"))
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"已停用账号 {user.username}")
