"""`ciqcredit import_enterprises FILE`: load the registry file from the enterprise management system."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries
from tqdm import tqdm

from ciqcredit.actors import Actor
from ciqcredit.audit.context import request_context
from ciqcredit.enterprises.importing import (
    FORMATS,
    ImportFileError,
    ImportResult,
    estimate_rows,
    guess_format,
    read_rows,
)
from ciqcredit.enterprises.services import enterprises_import
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization

ACTOR = Actor.job("import_enterprises")


class Command(BaseCommand):
    help = (
        "导入企业名录文件（CSV、XLSX 或 JSON Lines）。默认全部成功才写入；--partial 写入有效行并报告错误行。"
        "以系统身份 system:import_enterprises 运行（总局范围），--org 限定到某机构及其下级。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径")
        parser.add_argument("--format", choices=FORMATS, help="文件格式；省略时按扩展名判断")
        parser.add_argument("--partial", action="store_true", help="写入有效行，报告错误行")
        parser.add_argument("--json", action="store_true", help="只输出 JSON 格式的导入结果")
        parser.add_argument("--org", metavar="CODE", help="只导入备案地在该机构及其下级的企业，并记在该机构名下")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        scope_org = None
        if opts["org"]:
            scope_org = Organization.objects.filter(code=opts["org"]).first()
            if scope_org is None:
                raise CommandError(f"机构代码“{opts['org']}”不存在 [unknown_org_code]")
        with path.open("rb") as handle:
            try:
                fmt = opts["format"] or guess_format(path.name)
                result = self._import(handle, fmt, path.name, scope_org, opts)
            except ImportFileError as exc:
                result = ImportResult(rejected=exc.errors)
            except DomainError as exc:
                raise CommandError(f"{exc.message} [{exc.code}]") from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self._summary(result, opts["partial"])
        if result.rejected and not opts["partial"]:
            raise CommandError(f"导入被拒绝：{len(result.rejected)}处错误，未写入任何数据", returncode=1)

    def _import(self, handle, fmt: str, name: str, scope_org, opts) -> ImportResult:
        rows = read_rows(handle, fmt)
        total = estimate_rows(handle, fmt)
        # The bar goes to stderr so that --json output stays clean; hidden when stderr is not a terminal.
        # The raw stream, not the OutputWrapper: the wrapper would end every redraw with a newline.
        stream = self.stderr._out
        with tqdm(total=total, unit="行", desc="导入企业", file=stream, disable=None) as bar:

            def progress(done: int) -> None:
                bar.update(done - bar.n)
                reset_queries()  # with DEBUG on, Django would keep every multi-megabyte INSERT of the run

            with request_context():
                return enterprises_import(
                    rows=rows, actor=ACTOR, partial=opts["partial"], progress=progress, scope_org=scope_org, source=name
                )

    def _summary(self, result: ImportResult, partial: bool) -> None:
        written = not result.rejected or partial
        head = "导入完成" if written else "导入被拒绝，未写入任何数据"
        counts = f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}，拒绝 {len(result.rejected)}"
        self.stdout.write(f"{head}：{counts}")
        for error in result.rejected:
            where = f"第{error.line}行" if error.line else "文件"
            field = f" {error.field}" if error.field else ""
            self.stdout.write(f"  {where}{field}：{error.message} [{error.code}]")
