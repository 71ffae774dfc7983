from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ciqcredit.administration.backup import backup_check


class Command(BaseCommand):
    help = "备份恢复演练：导出数据库，恢复到临时数据库，核对各表行数和审计表保护触发器，然后删除临时数据库"

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=Path, help="保留导出文件（pg_dump 自定义格式）到此路径")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("仅适用于 PostgreSQL")
        result = backup_check(keep=opts["keep"])
        if result.problems:
            raise CommandError("备份恢复核对未通过：\n" + "\n".join(result.problems))
        self.stdout.write(f"备份恢复核对通过：{result.tables} 张表，{result.rows} 行，审计表保护触发器完好")
