"""`ciqcredit demo`: a plausible platform to click through, built in named steps.

Each step is idempotent and returns a summary line; later work (credit records, ratings, notices) adds its
own step to DEMO_STEPS. Everything is generated from a fixed seed, so every run on every machine gives the
same organizations, people and enterprises.
"""

from collections.abc import Callable
from importlib import import_module

from django.db import transaction

from ciqcredit.administration.demo.enterprises import ENTERPRISE_USERS, enterprise_logins
from ciqcredit.administration.demo.people import DEMO_CLIENTS, staff_logins
from ciqcredit.administration.demo.run import ClientLine, DemoRun, Login
from ciqcredit.organizations.models import User
from ciqcredit.rating.models import EvaluationRun

# (label, "module:function"); each function takes the DemoRun and returns a summary line.
DEMO_STEPS: list[tuple[str, str]] = [
    ("参考数据", "ciqcredit.administration.demo.credit:demo_reference"),
    ("机构与部门", "ciqcredit.administration.demo.organizations:demo_organizations"),
    ("工作人员", "ciqcredit.administration.demo.people:demo_people"),
    ("系统接入账号", "ciqcredit.administration.demo.people:demo_api_clients"),
    ("人员配置与培训", "ciqcredit.administration.demo.staffing:demo_staffing"),
    ("企业", "ciqcredit.administration.demo.enterprises:demo_enterprises"),
    ("企业用户", "ciqcredit.administration.demo.enterprises:demo_enterprise_users"),
    ("往期周期评定", "ciqcredit.administration.demo.credit:demo_earlier_evaluation"),
    ("信用信息", "ciqcredit.administration.demo.credit:demo_records"),
    ("月度业务量", "ciqcredit.administration.demo.credit:demo_activity"),
    ("周期评定", "ciqcredit.administration.demo.credit:demo_evaluation"),
    ("督查与自查", "ciqcredit.administration.demo.supervision:demo_supervision"),
    ("合作部门与共享协议", "ciqcredit.administration.demo.credit:demo_sharing"),
    ("放行决定", "ciqcredit.administration.demo.credit:demo_decisions"),
    ("执行情况与跟踪落实", "ciqcredit.administration.demo.credit:demo_executions"),
]


def _resolve(target: str) -> Callable[[DemoRun], str]:
    module_name, func_name = target.split(":")
    return getattr(import_module(module_name), func_name)


def demo_present() -> bool:
    """The last thing the demo creates is there: a complete demo has been loaded."""
    return EvaluationRun.objects.exists() and User.objects.filter(username=ENTERPRISE_USERS[-1][0]).exists()


def demo_load(run: DemoRun) -> None:
    """Run every step in one transaction: a failed step leaves nothing half-built."""
    with transaction.atomic():
        for label, target in DEMO_STEPS:
            run.report(f"{label}：{_resolve(target)(run)}")


def demo_logins() -> list[Login]:
    return staff_logins() + enterprise_logins()


def demo_clients_without_secrets() -> list[ClientLine]:
    hint = "（已存在；令牌只在创建时显示，可用 ciqcredit create_token {name} 重新签发）"
    return [ClientLine(name, "、".join(scopes), what, hint.format(name=name)) for name, what, scopes in DEMO_CLIENTS]
