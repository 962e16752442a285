"""The one rate limiter (限流): public submissions, tracking look-ups and the API, counted per client address.

A limit is "at most `count` attempts in a fixed window of `seconds`". Each attempt is counted by one atomic
statement, so parallel requests can never all read the same old count and all pass:

- with Redis as the cache, `INCR` on a key per window;
- otherwise one upsert on `core_ratecounter` (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), which SQLite and
  PostgreSQL both run atomically.

Refused attempts count too: a flood keeps itself out until the window ends. Addresses are stored only as keyed
digests. `RateLimited` carries a Chinese message and the seconds to wait; `RateLimitMiddleware` answers it with
429 where a view lets it through (views that show a form again catch it and render with status 429).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from .secrets import keyed_digest


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts in `seconds`."""

    count: int
    seconds: int


class RateLimited(Exception):
    """Too many attempts from one address; `message` says so in Chinese and how long to wait."""

    def __init__(self, limit: Limit, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = max(1, retry_after)
        minutes = max(1, (self.retry_after + 59) // 60)
        self.message = gettext(
            "操作过于频繁：同一网络地址在%(window)s内最多%(count)d次，请约%(minutes)d分钟后再试。"
        ) % {"window": window_text(limit.seconds), "count": limit.count, "minutes": minutes}
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def window_text(seconds: int) -> str:
    if seconds % 86400 == 0:
        return gettext("%(n)d天") % {"n": seconds // 86400}
    if seconds % 3600 == 0:
        return gettext("%(n)d小时") % {"n": seconds // 3600}
    return gettext("%(n)d分钟") % {"n": max(1, seconds // 60)}


def _uses_redis() -> bool:
    return type(cache).__module__.startswith("django.core.cache.backends.redis")


def _count_in_redis(key: str, expires_at: int) -> int:
    if cache.add(key, 1, timeout=expires_at - int(time.time()) + 5):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.set(key, 1, timeout=expires_at - int(time.time()) + 5)
        return 1


def _count_in_database(key: str, expires_at: int) -> int:
    from .models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    sql = (
        f'INSERT INTO {table} ("key", expires_at, count) VALUES (%s, %s, 1) '  # noqa: S608 — constant table name
        f'ON CONFLICT ("key") DO UPDATE SET count = {table}.count + 1 RETURNING count'
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, expires_at])
        row = cursor.fetchone()
    return int(row[0])


def hit(scope: str, client: str | None, limits: Iterable[Limit]) -> int:
    """Count one attempt of `scope` (e.g. "apply-submit") by `client` (an address, a user id); RateLimited when
    any limit is exceeded. Call it before the transaction of the work it guards, so that the attempt counts
    even when that work is refused and rolled back. Returns the attempts left under the tightest limit.
    `client=None` means no request is behind the attempt (the demo, a command): nothing is counted."""
    if client is None:
        return min((limit.count for limit in limits), default=0)
    digest = keyed_digest("ratelimit", f"{scope}|{client}")[:32]
    now = time.time()
    count_one = _count_in_redis if _uses_redis() else _count_in_database
    left = None
    for limit in limits:
        slot = int(now // limit.seconds)
        expires_at = (slot + 1) * limit.seconds
        count = count_one(f"rl:{scope}:{limit.seconds}:{digest}:{slot}", expires_at)
        if count > limit.count:
            raise RateLimited(limit, int(expires_at - now))
        left = limit.count - count if left is None else min(left, limit.count - count)
    return left or 0


def first_use(scope: str, token: str, expires_at: float) -> bool:
    """Whether this is the first use of `token` in `scope` (a solved challenge is good for one submission): the
    same atomic count as `hit`, under a key of its own that lives until `expires_at` (epoch seconds), when
    `purge_expired` forgets it. Parallel uses of one token: exactly one is first."""
    digest = keyed_digest("once", f"{scope}|{token}")[:32]
    count_one = _count_in_redis if _uses_redis() else _count_in_database
    return count_one(f"once:{scope}:{digest}", int(expires_at) + 1) == 1


def purge_expired() -> int:
    """Delete counters of windows that have ended (a periodic job); returns how many."""
    from .models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lt=int(time.time())).delete()
    return deleted


def limits_from_setting(name: str, default: Iterable[tuple[int, int]]) -> tuple[Limit, ...]:
    """Limits an operator may override in settings as `[(count, seconds), …]`."""
    return tuple(Limit(count, seconds) for count, seconds in getattr(settings, name, default))


def too_many_requests(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The 429 answer: problem+json for the API, a page for people."""
    if request.path.startswith("/api/"):
        body = json.dumps({"status": 429, "title": exc.message}, ensure_ascii=False)
        response = HttpResponse(body, status=429, content_type="application/problem+json; charset=utf-8")
    else:
        response = HttpResponse(
            render_to_string("core/rate_limited.html", {"message": exc.message}, request=request), status=429
        )
    response["Retry-After"] = str(exc.retry_after)
    return response


class RateLimitMiddleware:
    """Answers a `RateLimited` that a view did not handle itself with 429 and Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None
