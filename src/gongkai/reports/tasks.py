"""Background work of the reports app, run by ``gongkai worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def audit_batch(batch_id: int) -> None:
    """Audit the reports of one batch (年度报告审查), one by one, each under the per-file time bound."""
    from .services import run_audit_batch

    run_audit_batch(batch_id)
