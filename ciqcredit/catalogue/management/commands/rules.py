"""`ciqcredit rules export KIND [--version N] FILE` and `ciqcredit rules import KIND FILE`, acting as system.

Export writes a published or open version (default: the latest) as YAML or XLSX, chosen by FILE's extension.
Import replaces the content of the open draft of KIND (created from the latest published version when there is
none), all or nothing; with `--submit` it also submits the draft for review. Publication stays with HQ.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ciqcredit.actors import Actor
from ciqcredit.catalogue.choices import RULE_KINDS, Kind, Status
from ciqcredit.catalogue.exchange import version_import
from ciqcredit.catalogue.exporting import export_version, format_of
from ciqcredit.catalogue.services import open_version, version_draft_create, version_model, version_submit
from ciqcredit.errors import DomainError

ACTOR = Actor.job("rules-command")


class Command(BaseCommand):
    help = "导入、导出信用规则（采集条目 catalogue、评定规则 ruleset、差异化措施 measures），格式 YAML 或 XLSX"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="导出一个版本")
        export.add_argument("kind", choices=RULE_KINDS)
        export.add_argument("--version", type=int, default=None, help="版本号（默认最新版本）")
        export.add_argument("file")
        imp = sub.add_parser("import", help="导入到草稿（全部正确才导入）")
        imp.add_argument("kind", choices=RULE_KINDS)
        imp.add_argument("file")
        imp.add_argument("--submit", action="store_true", help="导入后提交审核")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "export":
                self._export(opts["kind"], opts["version"], Path(opts["file"]))
            else:
                self._import(opts["kind"], Path(opts["file"]), opts["submit"])
        except DomainError as exc:
            lines = [exc.message]
            for err in exc.details.get("errors", []) if isinstance(exc.details, dict) else []:
                where = f"第{err['row']}行 " if err.get("row") else ""
                lines.append(f"  {where}{err.get('field', '')} [{err.get('code', '')}] {err.get('message', '')}")
            raise CommandError("\n".join(lines)) from exc

    def _export(self, kind: str, number: int | None, path: Path) -> None:
        fmt = format_of(path.name)
        qs = version_model(kind).objects.order_by("-number")
        version = qs.filter(number=number).first() if number else qs.first()
        if version is None:
            raise CommandError(f"{Kind(kind).label}没有{'第' + str(number) + '版' if number else '任何版本'}")
        path.write_bytes(export_version(version, fmt))
        self.stdout.write(f"已导出{version}（{Status(version.status).label}）到 {path}")

    def _import(self, kind: str, path: Path, submit: bool) -> None:
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        fmt = format_of(path.name)
        draft = open_version(kind) or version_draft_create(kind=kind, actor=ACTOR)
        summary = version_import(version=draft, content=path.read_bytes(), fmt=fmt, actor=ACTOR)
        self.stdout.write(f"已导入{draft}：{summary}")
        if submit:
            version_submit(version=draft, actor=ACTOR)
            self.stdout.write(f"{draft}已提交审核")
