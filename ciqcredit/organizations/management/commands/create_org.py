from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.errors import DomainError
from ciqcredit.organizations.services import organization_create


class Command(BaseCommand):
    help = "新建机构（直属局或分支局）：ciqcredit create_org CODE NAME --parent CODE"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("name")
        parser.add_argument("--parent", required=True, help="上级机构代码")

    def handle(self, *args, **opts):
        try:
            org = organization_create(
                code=opts["code"], name=opts["name"], parent_code=opts["parent"], actor=Actor.job("create_org")
            )
        except DomainError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc
        self.stdout.write(f"已创建机构 {org.name}（{org.code}），层级 {org.get_level_display()}")
