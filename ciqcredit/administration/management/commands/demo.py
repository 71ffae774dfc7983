from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ciqcredit.administration.demo import demo_clients_without_secrets, demo_load, demo_logins, demo_present
from ciqcredit.administration.demo.run import DEFAULT_ENTERPRISES, SEED, DemoRun
from ciqcredit.errors import DomainError


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    """Columns padded by display width (a CJK character takes two cells)."""

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "装载演示数据（机构、人员、系统接入账号、企业）；可重复执行，结果相同；最后列出登录账号"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="已有演示数据时不做任何改动，只列出登录账号")
        parser.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES, help="演示企业数量（默认3000）")
        parser.add_argument("--seed", type=int, default=SEED, help="随机种子（默认2017）")

    def handle(self, *args, **opts):
        if opts["enterprises"] < 0:
            raise CommandError("企业数量不能为负数 [bad_count]")
        run = DemoRun(enterprises=opts["enterprises"], seed=opts["seed"], report=self.stdout.write)
        call_command("migrate", interactive=False, verbosity=0)  # the demo needs no separate set-up
        if opts["if_empty"] and demo_present():
            self.stdout.write("演示数据已存在，未做改动。")
            clients = demo_clients_without_secrets()
        else:
            try:
                demo_load(run)
            except DomainError as exc:
                raise CommandError(f"{exc.message} [{exc.code}]") from exc
            clients = run.clients
        self.stdout.write("")
        self.stdout.write("登录账号（浏览器登录 /login/）：")
        logins = [(x.username, x.password, x.role, x.organization) for x in demo_logins()]
        for line in _table(logins, ("用户名", "密码", "角色", "机构/企业")):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("系统接入账号（Authorization: Bearer <令牌>）：")
        rows = [(c.name, c.organization, c.scopes, c.token) for c in clients]
        for line in _table(rows, ("名称", "系统", "权限范围", "令牌")):
            self.stdout.write(line)
