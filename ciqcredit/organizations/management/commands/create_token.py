from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.organizations.models import User
from ciqcredit.organizations.services import token_create


class Command(BaseCommand):
    help = "为工作人员或企业用户生成个人接口令牌（用于脚本或企业系统对接）；最后一行输出令牌（仅显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="个人令牌")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在 [unknown_user]")
        token, secret = token_create(user=user, label=opts["label"], actor=Actor.job("create_token"))
        self.stdout.write(f"已为 {user.username} 生成令牌 {token.prefix}…")
        self.stdout.write(secret)
