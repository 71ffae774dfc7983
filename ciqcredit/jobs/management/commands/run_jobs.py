"""`ciqcredit run_jobs`: run the jobs still queued, printing each job's phases as the pages show them."""

from typing import Any

from django.core.management.base import BaseCommand

from ciqcredit.jobs.services import jobs_run_queued


class Command(BaseCommand):
    help = "运行排队中的后台任务（周期评定、批量确认），逐项输出各步骤"

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = jobs_run_queued()
        for job in jobs:
            self.stdout.write(f"{job}：{job.get_status_display()}")
            for phase in job.phases:
                self.stdout.write(f"  [{phase.get('seconds', 0):8.3f}s] {phase['label']}")
            self.stdout.write(f"  {job.message}")
        if not jobs:
            self.stdout.write("没有排队中的任务")
