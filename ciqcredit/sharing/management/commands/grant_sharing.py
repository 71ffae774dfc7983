import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.partners.selectors import partner_get
from ciqcredit.sharing.models import SharedField, SharedList
from ciqcredit.sharing.services import DEFAULT_PURPOSE, sharing_grant


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”格式应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "登记并批准与合作部门的共享协议：ciqcredit grant_sharing PARTNER_CODE --lists serious aa grades "
        "--from YYYY-MM-DD [--to YYYY-MM-DD] [--fields …] [--purpose 用途]"
    )

    def add_arguments(self, parser):
        parser.add_argument("partner_code", help="合作部门代码")
        parser.add_argument("--lists", nargs="+", required=True, choices=SharedList.values, help="共享名单")
        parser.add_argument("--from", dest="valid_from", required=True, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="valid_to", default="", help="截止日期 YYYY-MM-DD（含当日；默认长期）")
        parser.add_argument(
            "--fields", nargs="*", default=None, choices=SharedField.values, help="共享字段（默认全部）"
        )
        parser.add_argument("--purpose", default=DEFAULT_PURPOSE, help="共享用途")

    def handle(self, *args, **opts):
        try:
            agreement = sharing_grant(
                partner=partner_get(opts["partner_code"]),
                lists=opts["lists"],
                fields=opts["fields"],
                purpose=opts["purpose"],
                valid_from=_date(opts["valid_from"]),
                valid_to=_date(opts["valid_to"]) if opts["valid_to"] else None,
                actor=Actor.job("grant_sharing"),
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        until = f"{agreement.valid_to:%Y-%m-%d}" if agreement.valid_to else "长期"
        self.stdout.write(
            f"已批准共享协议 {agreement.pk}：{agreement.partner.name}，名单 {agreement.list_labels}，"
            f"字段 {agreement.field_labels or '（仅代码与日期）'}，{agreement.valid_from:%Y-%m-%d} 至 {until}"
        )
