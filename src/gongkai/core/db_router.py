"""Send the anonymous portal's reads to a read replica; everything else to the primary.

Active only when DATABASE_REPLICA_URL is set (settings.py adds the `replica` alias, this router and the
middleware). The rule is deliberately narrow, because a replica lags the primary by a moment and a reader who
has just changed something must see the change:

- reads go to the replica only inside `replica_reads()`, which ReplicaReadsMiddleware enters for GET/HEAD
  requests to portal paths from anonymous visitors who have not written anything in the last few seconds;
- once a request writes, its later reads go to the primary (read-your-writes within the request);
- a request that writes (POST, …) sets a short-lived cookie, so the page its redirect leads to is read from the
  primary too (read-your-writes across the redirect, e.g. an application form's receipt page);
- reads inside a transaction on the primary stay on it (a service that locks and re-reads needs one snapshot);
- sessions, the database cache, login lockouts and the task queue always use the primary: they are state that
  the next request, maybe on another app server, expects to find exactly as this one left it;
- writes and migrations only ever touch the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"

# Paths that are never the public portal: staff pages, the admin and the API (whose staff endpoints authenticate
# by token, which this middleware cannot see before the view runs).
NON_PORTAL_PREFIXES = ("/workspace/", "/admin/", "/api/", "/healthz")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# App labels whose tables are shared request state, never read from a lagging copy.
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache", "axes", "django_tasks_db"})
# The cookie that keeps a visitor on the primary for a moment after they wrote something.
STICKY_COOKIE = "gongkai_primary"


class _State:
    """What the current request may do: read from the replica, and whether it has written yet."""

    __slots__ = ("replica_allowed", "wrote")

    def __init__(self, replica_allowed: bool) -> None:
        self.replica_allowed = replica_allowed
        self.wrote = False


# A context variable, not a thread-local: correct for gthread workers and for async views alike.
_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("gongkai_replica_reads", default=None)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may go to the replica (until the block writes something)."""
    token = _state.set(_State(replica_allowed=True))
    try:
        yield
    finally:
        _state.reset(token)


def sticky_seconds() -> int:
    # Longer than the replica's usual lag (milliseconds on a healthy streaming replica), short enough not to
    # pin a busy visitor to the primary.
    return int(getattr(settings, "GONGKAI_REPLICA_STICKY_SECONDS", 5))


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _state.get()
        if state is None or not state.replica_allowed or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _state.get()
        # A cache entry written on a GET is no content change; anything else makes the request's later reads
        # go to the primary, where the write is.
        if state is not None and model._meta.app_label != "django_cache":
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data: an object read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # The replica receives the schema by replication; migrating it directly would fail (it is read-only).
        return db == PRIMARY


def uses_replica(request: HttpRequest) -> bool:
    """Whether this request's reads may go to the replica (see the module's docstring)."""
    if request.method not in SAFE_METHODS:
        return False
    if request.path.startswith(NON_PORTAL_PREFIXES):
        return False
    if STICKY_COOKIE in request.COOKIES:
        return False
    # Only after the cheaper checks: for a visitor with a session cookie this loads the session (from the
    # primary, since no replica context is active yet).
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not uses_replica(request):
            response = self.get_response(request)
        else:
            with replica_reads():
                response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                STICKY_COOKIE, "1", max_age=sticky_seconds(), httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
