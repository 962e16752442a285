"""Counts held in memory between flushes (计数缓冲): a page view costs a dictionary increment, not a database write.

Each server process keeps its own buffer; a daemon thread started on the first counted view (after gunicorn forks
its workers) flushes it every VISITS_FLUSH_SECONDS through `services.flush`, and once more at exit. Views are
counted per (day, organisation, kind, column, item); unique visitors as the set of daily salted hashes seen per
target. The hash is taken at once when the process knows the day's salt (the flusher fetches it, and tomorrow's,
ahead of time); until then the address and user agent wait in memory for the next flush and are never written.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import logging
import os
import threading
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from .attribution import Target

logger = logging.getLogger(__name__)

TargetKey = tuple[dt.date, int | None, str, int, int]
Mark = tuple[dt.date, int | None, str, int, int, str]
# Past this many distinct marks or waiting hits (a flusher that cannot reach the database), new ones are dropped
# rather than let memory grow; views are still counted.
MAX_HELD = 200_000


def visitor_hash(salt: str, organisation_id: int | None, address: str, user_agent: str) -> str:
    """The daily salted hash of one visitor on one site (the only trace of a visitor the platform keeps)."""
    raw = f"{organisation_id}\n{address}\n{user_agent}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, key=salt.encode("ascii"), digest_size=16).hexdigest()


@dataclass
class Taken:
    """What one flush writes: view counts, visitor marks, and hits still waiting for their day's salt."""

    views: Counter[TargetKey] = field(default_factory=Counter)
    marks: set[Mark] = field(default_factory=set)
    waiting: list[tuple[TargetKey, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.views or self.marks or self.waiting)


class Buffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = Taken()
        self._salts: dict[dt.date, str] = {}
        # Marks this process has written already: a returning visitor's mark is not sent to the database again.
        self._written: set[Mark] = set()

    def record(self, target: Target, day: dt.date, address: str, user_agent: str) -> None:
        key: TargetKey = (day, target.organisation_id, target.kind, target.column_id, target.item_id)
        salt = self._salts.get(day)
        mark = visitor_hash(salt, target.organisation_id, address, user_agent) if salt is not None else None
        with self._lock:
            held = self._held
            held.views[key] += 1
            if mark is not None:
                if len(held.marks) < MAX_HELD:
                    held.marks.add((*key, mark))
            elif len(held.waiting) < MAX_HELD:
                held.waiting.append((key, address, user_agent))

    def reset(self) -> None:
        """Forget everything (tests: their databases roll back what a flush wrote)."""
        with self._lock:
            self._held, self._salts, self._written = Taken(), {}, set()

    def take(self) -> Taken:
        with self._lock:
            taken, self._held = self._held, Taken()
        return taken

    def put_back(self, taken: Taken) -> None:
        """A flush that failed returns what it took, so a passing database fault loses nothing."""
        with self._lock:
            self._held.views.update(taken.views)
            self._held.marks |= taken.marks
            self._held.waiting.extend(taken.waiting)

    def know_salts(self, salts: dict[dt.date, str]) -> None:
        """The salts of the days still open; any other is forgotten, so an old day's salt leaves memory too."""
        self._salts = dict(salts)

    def unwritten(self, marks: set[Mark]) -> set[Mark]:
        return marks - self._written

    def written(self, marks: set[Mark], first_open: dt.date) -> None:
        """Remember marks stored by this process (the closed days' are forgotten, and all of them past MAX_HELD)."""
        kept = {m for m in self._written if m[0] >= first_open} if len(self._written) < MAX_HELD else set()
        self._written = kept | {m for m in marks if m[0] >= first_open}

    def salt(self, day: dt.date) -> str | None:
        return self._salts.get(day)


BUFFER = Buffer()
# (start, end) of the current local day in epoch seconds, and its date: Django's localdate() reads the active time
# zone through a context-local on every call, a third of the counter's cost per page.
_day: tuple[float, float, dt.date] = (0.0, 0.0, dt.date.min)


def local_today() -> dt.date:
    """Today in the site's time zone (settings.TIME_ZONE), recomputed only when the day changes."""
    global _day
    now = time.time()
    start, end, day = _day
    if start <= now < end:
        return day
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = dt.datetime.fromtimestamp(now, zone).date()
    start = dt.datetime.combine(day, dt.time.min, zone).timestamp()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, zone).timestamp()
    _day = (start, end, day)
    return day


_flusher_pid: int | None = None
_start_lock = threading.Lock()


def ensure_flusher() -> None:
    """Start this process's flushing thread once (gunicorn forks workers after import: one thread per worker)."""
    global _flusher_pid
    if _flusher_pid == os.getpid():
        return
    with _start_lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
        interval = float(getattr(settings, "VISITS_FLUSH_SECONDS", 10))
        if interval <= 0:
            return  # tests and scripts flush by calling services.flush()
        threading.Thread(target=_loop, args=(interval,), name="gongkai-visits-flush", daemon=True).start()
        atexit.register(_flush_at_exit)


def _flush_once() -> None:
    from django.db import connections

    from .services import flush

    try:
        flush()
    except Exception:
        logger.exception("visit statistics: flush failed; the counts are kept for the next one")
    finally:
        connections.close_all()  # this thread's connections: do not hold one between flushes


def _loop(interval: float) -> None:
    while True:
        time.sleep(interval)
        _flush_once()


def _flush_at_exit() -> None:
    _flush_once()
