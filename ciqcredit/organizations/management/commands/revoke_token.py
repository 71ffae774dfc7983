from django.core.management.base import BaseCommand

from ciqcredit.actors import Actor
from ciqcredit.organizations.management.commands._tokens import token_by_prefix
from ciqcredit.organizations.services import token_revoke


class Command(BaseCommand):
    help = "撤销接口令牌（按令牌前缀，如 ciq_AbC123），立即失效，记入审计日志"

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="令牌前缀（接口令牌页面和创建时的输出中可见）")

    def handle(self, *args, **opts):
        token = token_by_prefix(opts["prefix"])
        token_revoke(token=token, actor=Actor.job("revoke_token"))
        self.stdout.write(f"已撤销 {token.user.username} 的令牌 {token.prefix}…")
