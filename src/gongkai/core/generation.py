"""The publication generation of the request being served, read from the database at most once per request.

`core.services.public_generation()` is one single-row read; the page cache, the cached page chrome and the site
table (gongkai.sites) all key on it. The outermost middleware that needs it opens `request_generation()`; inner
ones join that holder instead of reading again. Outside a request, `generation()` reads the database each time.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .services import public_generation


class Generation:
    """The publication generation of one request, read on first use only; `extras` holds what was derived
    from it for this request (e.g. the site table), so a request never derives it twice."""

    def __init__(self) -> None:
        self._value: int | None = None
        self.extras: dict[str, Any] = {}

    def get(self) -> int:
        if self._value is None:
            self._value = public_generation()
        return self._value


_current: contextvars.ContextVar[Generation | None] = contextvars.ContextVar("gongkai_generation", default=None)


@contextmanager
def request_generation() -> Iterator[Generation]:
    """For the duration of one request: every generation read shares one query (an open holder is joined)."""
    holder = _current.get()
    if holder is not None:
        yield holder
        return
    holder = Generation()
    token = _current.set(holder)
    try:
        yield holder
    finally:
        _current.reset(token)


def current() -> Generation | None:
    return _current.get()


def generation() -> int:
    holder = _current.get()
    return holder.get() if holder is not None else public_generation()
