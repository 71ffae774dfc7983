from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ciqcredit.audit.models import AuditEntry


def grant_statements(role: str) -> list[str]:
    """What the application needs, as the tables' owner grants it to a role that does not own them: reading
    and writing every table, except that audit rows can only be read and appended."""
    quoted = connection.ops.quote_name(role)
    audit = connection.ops.quote_name(AuditEntry._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        # Tables and sequences that later migrations create (as this owner) get the same grants.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {quoted}",
    ]


class Command(BaseCommand):
    help = "由数据表所有者执行：授予应用账号（不拥有数据表的 PostgreSQL 角色）运行平台所需的权限；审计表只能读取和追加"

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用运行所用的 PostgreSQL 角色")

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("仅适用于 PostgreSQL")
        with connection.cursor() as cursor:
            for statement in grant_statements(opts["role"]):
                cursor.execute(statement)
        self.stdout.write(f"已授予角色 {opts['role']} 应用所需权限（审计表只读和追加）")
