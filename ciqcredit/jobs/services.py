"""Starting and running tracked jobs. A page starts a job (a row, audited); a thread with its own database
connection runs it after the commit, and `ciqcredit run_jobs` runs any job still queued (after a restart, or
on a machine that prefers cron). No broker: the row is the queue, claimed with a conditional UPDATE."""

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.audit.services import audit_log
from ciqcredit.errors import DomainError
from ciqcredit.jobs.models import Job, JobStatus
from ciqcredit.organizations.access import person_of

logger = logging.getLogger(__name__)


class Report:
    """What a runner tells the page while it works: the phase it is in, and each phase done.

    Inside the runner's own transaction the row is updated through a second connection on PostgreSQL, so the
    page sees the phases live; SQLite allows one writer at a time, so there the phases inside a transaction
    are written when it ends (the phase shown is then the long one that started before it)."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.phases: list[dict[str, Any]] = []
        self.phase = ""

    def start(self, label: str) -> None:
        self.phase = label
        self._write()

    def done(self, entry: dict[str, Any], next_label: str = "") -> None:
        self.phases.append(entry)
        self.phase = next_label
        self._write()

    def _write(self) -> None:
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job_id).update(phase=self.phase, phases=self.phases)
        elif connection.vendor == "postgresql":
            side = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {Job._meta.db_table} SET phase = %s, phases = %s::jsonb WHERE id = %s",
                        [self.phase, json.dumps(self.phases, ensure_ascii=False), self.job_id],
                    )
            finally:
                side.close()


Runner = Callable[[Job, "Report"], tuple[str, str]]  # (job, report) -> (message, link to the result)
# kind -> runner. A hook: each app that runs long work from a page registers its runners in its AppConfig.ready().
JOB_RUNNERS: dict[str, Runner] = {}


def register_job_runner(kind: str, runner: Runner) -> None:
    JOB_RUNNERS[kind] = runner


@transaction.atomic
def job_start(*, kind: str, params: dict[str, Any], actor: Actor) -> Job:
    """Queue a job of the actor's organization; it starts in the background once this transaction commits."""
    if kind not in JOB_RUNNERS:
        raise DomainError("unknown_job_kind", f"未知的任务类别“{kind}”", {"kind": kind})
    job = Job.objects.create(
        kind=kind,
        params=params,
        organization=person_of(actor).organization,
        started_by=person_of(actor),
        created_at=clock.now(),
        phase="等待开始",
    )
    audit_log(actor=actor, action="jobs.job.created", target=job, new={"kind": kind, **params})
    if settings.CIQCREDIT_JOBS_IN_THREAD:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), name=f"job-{job_id}", daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    finally:
        connections.close_all()  # the thread's own connections


def job_run(job_id: int) -> Job | None:
    """Claim a queued job and run it; None when another worker claimed it first."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=clock.now(), phase="开始"
    )
    if not claimed:
        return None
    job = Job.objects.select_related("started_by__organization").get(pk=job_id)
    report = Report(job)
    try:
        message, link = JOB_RUNNERS[job.kind](job, report)
        status = JobStatus.DONE
    except DomainError as exc:
        message, link, status = exc.message, "", JobStatus.FAILED
    except Exception:  # recorded on the row for the person waiting, and logged in full for the administrator
        logger.exception("job %s failed", job_id)
        message, link, status = "任务意外中止，请联系系统管理员查看日志", "", JobStatus.FAILED
    Job.objects.filter(pk=job_id).update(
        status=status, message=message, link=link, phase="", phases=report.phases, finished_at=clock.now()
    )
    job.refresh_from_db()
    return job


def jobs_run_queued() -> list[Job]:
    """Run every queued job (oldest first): the command's work."""
    done = []
    for job_id in Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "id").values_list("pk", flat=True):
        job = job_run(job_id)
        if job is not None:
            done.append(job)
    return done
