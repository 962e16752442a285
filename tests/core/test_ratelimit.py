"""The one rate limiter: fixed windows, atomic counting under concurrency, 429 answers."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.core import ratelimit
from gongkai.core.models import RateCounter
from gongkai.core.ratelimit import Limit, RateLimited, RateLimitMiddleware


def test_counts_per_scope_and_client(db: None) -> None:
    limits = (Limit(2, 3600),)
    assert ratelimit.hit("form", "192.0.2.1", limits) == 1
    assert ratelimit.hit("form", "192.0.2.1", limits) == 0
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit("form", "192.0.2.1", limits)
    assert "1小时内最多2次" in refused.value.message and 1 <= refused.value.retry_after <= 3600
    ratelimit.hit("form", "192.0.2.2", limits)  # another address
    ratelimit.hit("other", "192.0.2.1", limits)  # another scope
    assert not RateCounter.objects.filter(key__contains="192.0.2").exists()  # digests only


def test_the_tightest_of_several_limits_refuses(db: None) -> None:
    limits = (Limit(5, 3600), Limit(1, 60))
    ratelimit.hit("x", "a", limits)
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit("x", "a", limits)
    assert refused.value.limit == Limit(1, 60)


def test_a_new_window_starts_afresh(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    limits = (Limit(1, 60),)
    ratelimit.hit("x", "a", limits)
    with pytest.raises(RateLimited):
        ratelimit.hit("x", "a", limits)
    clock[0] += 60
    ratelimit.hit("x", "a", limits)
    assert ratelimit.purge_expired() == 1  # the first window's row
    assert RateCounter.objects.count() == 1


def test_a_token_is_first_used_once_until_it_expires(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock[0])
    assert ratelimit.first_use("challenge", "nonce-1", clock[0] + 7200)
    assert not ratelimit.first_use("challenge", "nonce-1", clock[0] + 7200)
    assert ratelimit.first_use("challenge", "nonce-2", clock[0] + 7200)
    assert ratelimit.first_use("other", "nonce-1", clock[0] + 7200)  # scopes apart
    clock[0] += 7202
    assert ratelimit.purge_expired() == 3


def test_no_request_behind_it_is_not_counted(db: None) -> None:
    for _ in range(3):
        ratelimit.hit("x", None, (Limit(1, 60),))
    assert not RateCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory test database refuses concurrent writers "
                    "instead of queueing them; SQLite runs each write transaction alone anyway")
def test_parallel_attempts_never_exceed_the_limit() -> None:
    """Thirty requests at once from one address: exactly the limit passes (the counter is one statement)."""
    limit = Limit(5, 3600)
    start = threading.Barrier(30)
    passed: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            start.wait()
            ratelimit.hit("burst", "203.0.113.9", (limit,))
            passed.append(n)
        except RateLimited:
            refused.append(n)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(passed) == 5 and len(refused) == 25


def test_unhandled_refusal_is_answered_429(db: None) -> None:
    exc = RateLimited(Limit(3, 600), 90)

    def view(request: Any) -> HttpResponse:
        raise exc

    request = RequestFactory().get("/apply/track/")
    response = RateLimitMiddleware(view).process_exception(request, exc)
    assert response is not None and response.status_code == 429 and response["Retry-After"] == "90"
    assert "过于频繁" in response.content.decode()
    api = RateLimitMiddleware(view).process_exception(RequestFactory().get("/api/v1/items"), exc)
    assert api is not None and api["Content-Type"].startswith("application/problem+json")
