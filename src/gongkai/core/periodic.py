"""Periodic jobs run by `gongkai worker`: scheduled publishing, reminders, digests.

Apps register a job in their AppConfig.ready(); core imports none of them. Each job's last run is a row locked
while the job runs, so several workers never run the same job twice in one interval.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    run: Callable[[], object]
    start_immediately: bool = True


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(
    name: str, every: dt.timedelta, run: Callable[[], object], *, start_immediately: bool = True
) -> None:
    """`start_immediately=False`: the first run comes one interval after a worker first sees the job
    (a weekly digest should not go out the moment a worker starts)."""
    _jobs[name] = PeriodicJob(name, every, run, start_immediately)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Run every job whose interval has passed since its last run; return the names that ran.

    A failing job is logged and retried at its next interval; it never stops the others.
    """
    now = now or timezone.now()
    ran = []
    for job in periodic_jobs():
        try:
            with transaction.atomic():
                row, created = PeriodicRun.objects.select_for_update().get_or_create(name=job.name)
                if created and not job.start_immediately:
                    row.last_run_at = now
                    row.last_result = "scheduled"
                    row.save(update_fields=["last_run_at", "last_result"])
                    continue
                if row.last_run_at is not None and row.last_run_at + job.every > now:
                    continue
                result = job.run()
                row.last_run_at = now
                row.last_result = str(result)[:200]
                row.save(update_fields=["last_run_at", "last_result"])
            ran.append(job.name)
        except Exception:
            logger.exception("periodic job %s failed", job.name)
    return ran
