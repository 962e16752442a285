"""A small per-address rate limit over Django's cache (the database cache `gongkai_cache` in production).

Used for public submissions and tracking look-ups. Counting is per fixed window, which is all a flood needs.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import gettext


class RateLimited(Exception):
    """Too many attempts from one address; the message says how long to wait."""


def _key(scope: str, address: str, window: int) -> tuple[str, int]:
    slot = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}|{address}".encode()).hexdigest()[:24]  # no raw addresses in the cache
    return f"gk-rl:{scope}:{window}:{digest}:{slot}", (slot + 1) * window - int(time.time())


def hit(scope: str, address: str | None, limits: tuple[tuple[int, int], ...]) -> None:
    """Count one attempt of `scope` from `address`; RateLimited when any (count, seconds) limit is exceeded.

    An attempt that is refused is not counted, so waiting out the window is enough.
    """
    address = address or "unknown"
    keys = []
    for count, window in limits:
        key, remaining = _key(scope, address, window)
        current = cache.get(key, 0)
        if current >= count:
            minutes = max(1, (remaining + 59) // 60)
            raise RateLimited(
                gettext("提交过于频繁：同一网络地址在 %(window)s 内最多提交 %(count)d 次，请约 %(minutes)d 分钟后再试。")
                % {"window": _window_text(window), "count": count, "minutes": minutes}
            )
        keys.append((key, window))
    for key, window in keys:
        if not cache.add(key, 1, timeout=window + 5):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window + 5)


def _window_text(seconds: int) -> str:
    if seconds % 86400 == 0:
        return gettext("%(n)d天") % {"n": seconds // 86400}
    if seconds % 3600 == 0:
        return gettext("%(n)d小时") % {"n": seconds // 3600}
    return gettext("%(n)d分钟") % {"n": max(1, seconds // 60)}
