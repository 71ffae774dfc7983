"""The home page's dashboard of a staff member: to-do counts and the key figures of their organization.

Each chart is one grouped query over the user's subtree, broken down by the organizations one level below
(HQ: the bureaus; a bureau: itself and its branches), found by the materialized path's prefix:
- collection timeliness by quarter (the last four quarters, on time and late);
- grade distribution (current grades, with unrated enterprises and results awaiting confirmation);
- open dynamic cases and open rectification tasks.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncQuarter

from ciqcredit import clock
from ciqcredit.charts import Chart, Series
from ciqcredit.collection.selectors import queue_drafts, queue_overdue, queue_to_confirm
from ciqcredit.dynamic.models import CLOSED_STATUSES, DynamicCase
from ciqcredit.dynamic.selectors import notices_to_deliver
from ciqcredit.organizations.models import Organization, User
from ciqcredit.oversight.access import READER_ROLES
from ciqcredit.oversight.circulars import short_name
from ciqcredit.oversight.figures import figures_for
from ciqcredit.oversight.models import TASK_OPEN_STATUSES, RectificationTask
from ciqcredit.oversight.queue import sheets_to_fill, tasks_to_answer, tasks_to_check
from ciqcredit.oversight.services import last_period
from ciqcredit.rating.selectors import DISTRIBUTION_COLUMNS, distribution_bars, grade_distribution
from ciqcredit.rules.params import GRADES_DESC


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url_name: str


def todos(user: User) -> list[Todo]:
    """What waits for the user, as counts (the queue page lists the rows)."""
    found = [
        Todo("待审核确认的信用信息", queue_to_confirm(user).count(), "collection:queue"),
        Todo("草稿", queue_drafts(user).count(), "collection:queue"),
        Todo("逾期未采集或未审核", queue_overdue(user).count(), "collection:queue"),
        Todo("待送达的书面告知", notices_to_deliver(user).count(), "collection:queue"),
        Todo("待填写的督查检查表", sheets_to_fill(user).count(), "collection:queue"),
        Todo("待整改的督查问题", tasks_to_answer(user).count(), "collection:queue"),
        Todo("待验收的整改情况", tasks_to_check(user).count(), "collection:queue"),
    ]
    return [t for t in found if t.count]


def _groups(organization: Organization) -> tuple[int, list[tuple[str, str]]]:
    """The path prefix length one level below, and (prefix, label) of each group: the office itself first."""
    children = list(organization.children.filter(active=True).order_by("path").values_list("path", "name"))
    if not children:
        return len(organization.path), [(organization.path, organization.name)]
    depth = len(children[0][0])
    own = [(organization.path, f"{organization.name}本级")] if organization.level != "hq" else []
    return depth, own + [(path, name) for path, name in children]


def _group_of(prefix: str, groups: list[tuple[str, str]]) -> str | None:
    """The group of a path prefix: a child's path, or the office's own path for rows of the office itself."""
    return prefix if any(prefix == path for path, _ in groups) else None


def timeliness_by_quarter(organization: Organization, today: dt.date, quarters: int = 4) -> Chart:
    start, _ = last_period("quarterly", today)
    for _ in range(quarters - 2):
        start, _ = last_period("quarterly", start)
    rows = (
        _records(organization)
        .filter(entered_at__date__gte=start)
        .annotate(quarter=TruncQuarter("entered_at"))
        .values("quarter")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(late_days__gt=0)))
        .order_by("quarter")
    )
    labels, on_time, late = [], [], []
    for row in rows:
        q = row["quarter"]
        q = q.date() if isinstance(q, dt.datetime) else q
        labels.append(f"{q.year}年第{(q.month - 1) // 3 + 1}季度")
        on_time.append(row["total"] - row["late"])
        late.append(row["late"])
    return Chart(
        "信用信息采集时效（按季度）",
        tuple(labels),
        (Series("按时采集", tuple(on_time)), Series("逾期采集", tuple(late))),
        unit="条",
        stacked=True,
    )


def _records(organization: Organization):
    from ciqcredit.collection.models import CreditRecord

    return CreditRecord.objects.filter(organization__path__startswith=organization.path).exclude(
        status="draft", submitted_at__isnull=True
    )


def grade_distribution_chart(user: User) -> Chart:
    """The grade distribution of the user's subtree (rating's, each enterprise counted once: its grade in force,
    else awaiting confirmation, else unrated), one stack per bureau at HQ, per office below."""
    rows = distribution_bars(user, grade_distribution(user))
    labels = [*(f"{g}级" for g in GRADES_DESC), "待确认", "未评级"]
    series = tuple(
        Series(label, tuple(row.counts.get(column, 0) for row in rows))
        for label, column in zip(labels, DISTRIBUTION_COLUMNS, strict=True)
    )
    return Chart(
        "企业信用等级分布",
        tuple(short_name(row.organization.name) for row in rows),
        series,
        unit="家",
        stacked=True,
        notes=("待确认：尚无生效等级、初评结果等待确认的企业；未评级：尚无生效等级也无待确认结果的企业",),
    )


def open_work(organization: Organization) -> Chart:
    depth, groups = _groups(organization)
    cases: dict[str, int] = {}
    tasks: dict[str, int] = {}
    case_rows = (
        DynamicCase.objects.filter(organization__path__startswith=organization.path)
        .exclude(status__in=CLOSED_STATUSES)
        .annotate(prefix=Substr("organization__path", 1, depth))
        .values("prefix")
        .annotate(n=Count("pk"))
    )
    task_rows = (
        RectificationTask.objects.filter(office__path__startswith=organization.path, status__in=TASK_OPEN_STATUSES)
        .annotate(prefix=Substr("office__path", 1, depth))
        .values("prefix")
        .annotate(n=Count("pk"))
    )
    for rows, into in ((case_rows, cases), (task_rows, tasks)):
        for row in rows:
            group = _group_of(row["prefix"], groups)
            if group is not None:
                into[group] = into.get(group, 0) + row["n"]
    return Chart(
        "未结动态管理案件与整改任务",
        tuple(short_name(name) for _, name in groups),
        (
            Series("未结案件", tuple(cases.get(p, 0) for p, _ in groups)),
            Series("未完成整改", tuple(tasks.get(p, 0) for p, _ in groups)),
        ),
        unit="件",
    )


def dashboard(user: User) -> dict[str, Any]:
    today = clock.today()
    organization = user.organization
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    figures = figures_for(organization, quarter_start, today)
    key = [
        ("本季度采集信息", figures["collection"]["collected"], "collection.collected"),
        ("其中逾期采集", figures["collection"]["late"], "collection.late"),
        ("本季度逾期审核", figures["review"]["late"], "review.late"),
        ("本季度触发动态管理", figures["dynamic"]["triggered"], "dynamic.triggered"),
        ("逾期办理环节", figures["dynamic"]["steps_overdue"], "dynamic.steps_overdue"),
        ("未完成整改", figures["rectification"]["open"], "rectification.open"),
    ]
    return {
        "todos": todos(user),
        "may_drill": user.has_role(*READER_ROLES),
        "key_figures": key,
        "figures_query": f"org={organization.code}&start={quarter_start:%Y-%m-%d}&end={today:%Y-%m-%d}",
        "charts": [
            timeliness_by_quarter(organization, today),
            grade_distribution_chart(user),
            open_work(organization),
        ],
    }
