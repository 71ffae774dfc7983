import secrets

from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.accounts import user_password_reset
from ciqcredit.organizations.models import User


class Command(BaseCommand):
    help = "管理员重置工作人员密码；未给出 --password 时生成随机密码，最后一行输出（仅显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", help="新密码（须符合密码规则）")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"], is_system=False).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在 [unknown_user]")
        password = opts["password"] or secrets.token_urlsafe(12)
        try:
            user_password_reset(user=user, new_password=password, actor=Actor.job("reset_password"))
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"已重置 {user.username} 的密码；请其登录后在“修改密码”页面改为自己的密码")
        self.stdout.write(password)
