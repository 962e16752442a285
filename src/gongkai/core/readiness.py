"""Readiness (就绪检查): can this server do its work right now?

`/healthz` says the process answers; `/readyz` says whether what it depends on answers too: every configured
database, the cache, and the background worker (the newest `PeriodicRun`; the worker's loop runs the due jobs
every 30 s and the shortest job, scheduled publishing, is due every minute, so a live worker keeps it fresh).
Each check reports `ok` or `fail` with a reason that names no host, user or password: the body is public.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Max
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger(__name__)

Check = Callable[[], dict[str, Any]]


def worker_max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "READY_WORKER_MAX_AGE_SECONDS", 300)))


def _failure(check: str, exc: Exception) -> dict[str, Any]:
    # The exception's text may hold a host name or a DSN; the log is for the operator, the body for anyone.
    logger.warning("readiness check %s failed: %s: %s", check, type(exc).__name__, exc)
    return {"status": "fail", "error": type(exc).__name__}


def check_databases() -> dict[str, Any]:
    aliases: dict[str, Any] = {}
    for alias in connections:
        started = time.perf_counter()
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:
            aliases[alias] = _failure(f"database {alias}", exc)
            continue
        aliases[alias] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    status = "ok" if all(a["status"] == "ok" for a in aliases.values()) else "fail"
    return {"status": status, "aliases": aliases}


def check_cache() -> dict[str, Any]:
    key = f"readiness:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    started = time.perf_counter()
    try:
        cache.set(key, value, timeout=30)
        read = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return _failure("cache", exc)
    if read != value:
        return {"status": "fail", "error": "value written was not read back"}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_worker(now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    max_age = worker_max_age()
    try:
        last = PeriodicRun.objects.aggregate(last=Max("last_run_at"))["last"]
    except Exception as exc:
        return _failure("worker", exc)
    result: dict[str, Any] = {"max_age_seconds": int(max_age.total_seconds())}
    if last is None:
        return {"status": "fail", "error": "the worker has never run", **result}
    age = now - last
    result.update(last_run_at=last.isoformat(), age_seconds=max(0, int(age.total_seconds())))
    if age > max_age:
        return {"status": "fail", "error": "the worker's last run is too old", **result}
    return {"status": "ok", **result}


CHECKS: dict[str, Check] = {"database": check_databases, "cache": check_cache, "worker": check_worker}


def readiness(names: Iterable[str] = CHECKS) -> tuple[bool, dict[str, Any]]:
    """Run the named checks (all by default); (every one passed, the JSON body)."""
    results = {name: CHECKS[name]() for name in names}
    ready = all(r["status"] == "ok" for r in results.values())
    return ready, {"status": "ok" if ready else "fail", "checks": results}
