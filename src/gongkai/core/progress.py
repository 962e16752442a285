"""A one-line progress bar for long commands (reindex, seed-scale): redrawn in place on a terminal, a line
every 10% when the output is a file or a pipe."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, out: TextIO, total: int, label: str) -> None:
        self.out, self.total, self.label = out, max(total, 0), label
        self.started = time.monotonic()
        self.done = 0
        self._tenth = -1
        self.tty = bool(getattr(out, "isatty", lambda: False)())

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def line(self) -> str:
        share = self.done / self.total if self.total else 1.0
        filled = int(min(share, 1.0) * 30)
        return f"{self.label} [{'#' * filled}{'-' * (30 - filled)}] {self.done:,}/{self.total:,} {share:6.1%} {self.rate:,.0f}/s"

    def advance(self, n: int) -> None:
        self.done += n
        if self.tty:
            self.out.write("\r" + self.line())
            self.out.flush()
            return
        tenth = int(self.done * 10 / self.total) if self.total else 10
        if tenth != self._tenth:
            self._tenth = tenth
            self.out.write(self.line() + "\n")
            self.out.flush()

    def finish(self) -> float:
        if self.tty:
            self.out.write("\r" + self.line() + "\n")
            self.out.flush()
        return time.monotonic() - self.started
