"""`gongkai worker`: runs background tasks (scheduled publishing, reminders, digests, reindexing).

A thin, stable name over django-tasks-db's `db_worker`, so operators' units and scripts don't depend on the
library's command name; every option of `db_worker` is accepted unchanged (see `gongkai worker --help`).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = (
        "运行后台任务进程（定时发布、提醒、摘要、重建索引）。"
        "Runs the background task worker (django-tasks database backend); options as for db_worker. "
        "Run one or more beside `gongkai serve`; --batch processes what is queued and exits."
    )
