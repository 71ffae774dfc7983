"""The rating work a page starts as a tracked job (ciqcredit.jobs): a periodic evaluation, a bulk confirmation."""

import datetime as dt
import time

from django.urls import reverse

from ciqcredit.actors import Actor
from ciqcredit.jobs.models import Job, JobKind
from ciqcredit.jobs.services import Report, register_job_runner
from ciqcredit.organizations.access import organization_get_for_user
from ciqcredit.rating.selectors import run_get
from ciqcredit.rating.services.confirmation import results_confirm
from ciqcredit.rating.services.evaluation import PHASE_LABELS, evaluation_run

_NEXT_PHASE = dict(zip(PHASE_LABELS, [*list(PHASE_LABELS.values())[1:], ""], strict=True))


def run_evaluation(job: Job, report: Report) -> tuple[str, str]:
    report.start(PHASE_LABELS["prepare"])
    run = evaluation_run(
        period_end=dt.date.fromisoformat(job.params["period_end"]),
        actor=Actor.of(job.started_by),
        progress=lambda name, entry: report.done(entry, _NEXT_PHASE[name]),
    )
    return f"周期评定完成：{run.enterprises} 家企业，用时 {run.seconds} 秒", reverse("rating:run", args=[run.pk])


CONFIRM_LABEL = "确认评定结果，写入等级变更和审计记录"


def run_confirmation(job: Job, report: Report) -> tuple[str, str]:
    user, params = job.started_by, job.params
    run = run_get(params["run_id"])
    org = organization_get_for_user(user, params["org"]) if params.get("org") else None
    report.start(CONFIRM_LABEL)
    started = time.perf_counter()
    n = results_confirm(run=run, actor=Actor.of(user), organization=org, initial_grade=params.get("grade", ""))
    report.done({"label": CONFIRM_LABEL, "seconds": round(time.perf_counter() - started, 3), "confirmed": n})
    return f"已确认 {n} 家企业的评定结果", reverse("rating:worklist", args=[run.pk])


def register() -> None:
    """Called from RatingConfig.ready(): the jobs app runs these kinds through rating."""
    register_job_runner(JobKind.EVALUATION, run_evaluation)
    register_job_runner(JobKind.CONFIRMATION, run_confirmation)
