"""`gongkai worker`: runs background tasks (scheduled publishing, reminders, digests, reindexing).

A thin, stable name over django-tasks-db's `db_worker`, so operators' units and scripts don't depend on the
library's command name; every option of `db_worker` is accepted unchanged (see `gongkai worker --help`).
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import close_old_connections
from django.utils.translation import gettext_lazy
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from gongkai.core.periodic import run_due_jobs

PERIODIC_CHECK_SECONDS = 30


def _periodic_loop(stop: threading.Event) -> None:
    while not stop.is_set():
        close_old_connections()
        run_due_jobs()
        close_old_connections()
        stop.wait(PERIODIC_CHECK_SECONDS)


class Command(DbWorkerCommand):
    help = gettext_lazy(  # type: ignore[assignment]
        "运行后台任务进程（定时发布、提醒、摘要、重建索引）。"
        "Runs the background task worker (django-tasks database backend); options as for db_worker. "
        "Run one or more beside `gongkai serve`; --batch processes what is queued and exits."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Periodic jobs (scheduled publishing, reminders, digests) run beside the task queue; with --batch once.
        if options.get("batch"):
            run_due_jobs()
            super().handle(*args, **options)
            return
        stop = threading.Event()
        thread = threading.Thread(target=_periodic_loop, args=(stop,), name="gongkai-periodic", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=5)
