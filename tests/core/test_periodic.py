import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.core import periodic
from gongkai.core.models import PeriodicRun


@pytest.fixture
def jobs(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register_periodic("a", dt.timedelta(minutes=10), lambda: calls.append("a"))

    def broken() -> None:
        raise RuntimeError("boom")

    periodic.register_periodic("b", dt.timedelta(minutes=10), broken)
    return calls


@pytest.mark.django_db
def test_a_job_runs_once_per_interval_and_a_failure_does_not_stop_others(jobs):
    now = timezone.now()
    assert periodic.run_due_jobs(now) == ["a"]
    assert periodic.run_due_jobs(now + dt.timedelta(minutes=5)) == []
    assert periodic.run_due_jobs(now + dt.timedelta(minutes=10)) == ["a"]
    assert jobs == ["a", "a"]
    assert not PeriodicRun.objects.filter(name="b", last_run_at__isnull=False).exists()  # retried next time


@pytest.mark.django_db
def test_a_job_that_waits_runs_one_interval_after_it_is_first_seen(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(periodic, "_jobs", {})
    periodic.register_periodic("digest", dt.timedelta(days=7), lambda: calls.append(1), start_immediately=False)
    now = timezone.now()
    assert periodic.run_due_jobs(now) == []
    assert periodic.run_due_jobs(now + dt.timedelta(days=6)) == []
    assert periodic.run_due_jobs(now + dt.timedelta(days=7)) == ["digest"]
    assert calls == [1]


@pytest.mark.django_db
def test_the_apps_register_their_jobs():
    names = {j.name for j in periodic.periodic_jobs()}
    assert {"review.publish_due", "applications.reminders", "interaction.reminders",
            "inspection.weekly_digest", "inspection.probe"} <= names


@pytest.mark.django_db(transaction=True)  # db_worker closes its connection when the batch is done
def test_worker_batch_runs_due_jobs(jobs, database_tasks):
    call_command("worker", "--batch")
    assert jobs == ["a"]
