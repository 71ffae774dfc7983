import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.management.commands._tokens import token_by_prefix
from ciqcredit.organizations.services import ROTATION_GRACE_HOURS, token_rotate


class Command(BaseCommand):
    help = "轮换接口令牌：生成新令牌（最后一行输出，仅显示一次），旧令牌在过渡期后失效"

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="要轮换的令牌前缀")
        parser.add_argument(
            "--grace-hours",
            type=int,
            default=ROTATION_GRACE_HOURS,
            help=f"旧令牌继续有效的小时数（默认{ROTATION_GRACE_HOURS}）",
        )

    def handle(self, *args, **opts):
        token = token_by_prefix(opts["prefix"])
        try:
            successor, secret = token_rotate(
                token=token, grace=dt.timedelta(hours=opts["grace_hours"]), actor=Actor.job("rotate_token")
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(
            f"已为 {token.user.username} 生成新令牌 {successor.prefix}…；旧令牌 {token.prefix}… 将于过渡期后失效"
        )
        self.stdout.write(secret)
