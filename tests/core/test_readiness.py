"""/readyz: databases, cache and the worker's last run, 200 or 503 with a JSON body; /healthz stays apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from gongkai.core import periodic
from gongkai.core.models import PeriodicRun

pytestmark = pytest.mark.django_db


def _ready(client: Client, query: str = "") -> tuple[int, dict[str, Any]]:
    response = client.get(f"/readyz{query}")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_ready_once_the_worker_has_run(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periodic, "_jobs", {})
    status, body = _ready(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["aliases"]["default"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["worker"] == {"status": "fail", "error": "the worker has never run", "max_age_seconds": 300}

    periodic.register_periodic("test.readiness", dt.timedelta(minutes=1), lambda: "done")
    assert periodic.run_due_jobs() == ["test.readiness"]
    status, body = _ready(client)
    assert status == 200
    assert body["status"] == "ok"
    worker = body["checks"]["worker"]
    assert worker["status"] == "ok" and worker["age_seconds"] <= 5
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405


def test_a_stale_worker_fails_and_the_limit_is_configurable(client: Client) -> None:
    PeriodicRun.objects.create(name="job", last_run_at=timezone.now() - dt.timedelta(minutes=10))
    status, body = _ready(client)
    assert status == 503
    worker = body["checks"]["worker"]
    assert worker["status"] == "fail" and worker["error"] == "the worker's last run is too old"
    assert 595 <= worker["age_seconds"] <= 610
    with override_settings(READY_WORKER_MAX_AGE_SECONDS=900):
        assert _ready(client)[0] == 200


def test_checks_can_be_chosen(client: Client) -> None:
    status, body = _ready(client, "?checks=database,cache")
    assert status == 200
    assert set(body["checks"]) == {"database", "cache"}
    status, body = _ready(client, "?checks=database,disk")
    assert status == 400
    assert body["error"] == "unknown checks: disk"


def test_an_unreachable_cache_fails_without_naming_the_server(client: Client) -> None:
    PeriodicRun.objects.create(name="job", last_run_at=timezone.now())
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=redis):
        response = client.get("/readyz?checks=cache")
    assert response.status_code == 503
    cache_result = response.json()["checks"]["cache"]
    assert cache_result["status"] == "fail"
    assert "127.0.0.1" not in response.content.decode()


def test_a_failing_database_answers_503_without_its_address(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OperationalError('connection to server at "10.9.8.7", port 5432 failed: password authentication failed')

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/readyz?checks=database")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["aliases"]["default"] == {"status": "fail", "error": "OperationalError"}
    assert "10.9.8.7" not in response.content.decode()
