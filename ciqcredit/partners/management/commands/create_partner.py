from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.catalogue.models import JointMeasure
from ciqcredit.catalogue.selectors import joint_measures_on
from ciqcredit.errors import DomainError
from ciqcredit.partners.models import PartnerKind
from ciqcredit.partners.services import partner_create, partner_list_create


def published_list(code: str) -> tuple[str, str] | None:
    """The title and kind the joint measures in force give a list code, if any."""
    version = joint_measures_on(clock.today())
    if version is None:
        return None
    row = JointMeasure.objects.filter(version=version, list_code=code).order_by("position").first()
    return (row.list_title, row.list_kind) if row is not None else None


class Command(BaseCommand):
    help = (
        "登记合作部门（其他监管部门）：ciqcredit create_partner CODE NAME --kind court|tax|customs|market|other "
        "[--list 名单代码 …]；其接口账号再以 create_api_client NAME --org CODE --scope … 创建"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="合作部门代码（6位数字，不与检验检疫机构重复）")
        parser.add_argument("name", help="合作部门名称")
        parser.add_argument("--kind", required=True, choices=PartnerKind.values, help="部门类别")
        parser.add_argument(
            "--list", dest="lists", nargs="*", default=[], help="该部门报送的名单代码（名称与类别取自联合奖惩措施）"
        )
        parser.add_argument("--list-title", default="", help="名单名称（联合奖惩措施中没有该名单时）")
        parser.add_argument("--list-kind", default="", choices=["", "reward", "punishment"], help="名单类别")

    def handle(self, *args, **opts):
        actor = Actor.job("create_partner")
        try:
            with transaction.atomic():
                partner = partner_create(code=opts["code"], name=opts["name"], kind=opts["kind"], actor=actor)
                for code in opts["lists"]:
                    title, kind = published_list(code) or (opts["list_title"], opts["list_kind"])
                    partner_list_create(partner=partner, code=code, title=title, kind=kind, actor=actor)
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        lists = "、".join(opts["lists"]) or "无"
        self.stdout.write(
            f"已登记合作部门 {partner.name}（{partner.code}，{partner.get_kind_display()}），名单：{lists}"
        )
