"""A time and memory bound per file (每份报告的时限): each source is read in a child process.

A hostile or pathological file (a PDF that makes the parser loop, a decompression bomb) must cost at most
``timeout`` seconds and ``memory_mb`` of memory and then become a finding, never a hang. Python cannot
interrupt a C library from the inside, so the reading runs in a forked worker that is killed and replaced
when it overruns; between files the worker is reused, so the bound costs almost nothing.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import resource
from typing import Any

from django.utils.translation import gettext

from .findings import AuditResult, unreadable
from .run import audit_bytes

DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1536


def _serve(conn: multiprocessing.connection.Connection, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # not every platform lets a process lower it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        data, source = job
        try:
            result: Any = audit_bytes(data, source)
        except MemoryError:
            result = unreadable(source, gettext("读取此文件所需的内存超出上限（疑似压缩炸弹或异常文件），已放弃。"))
        except Exception as exc:  # a bug must cost one file, not the batch
            result = unreadable(source, gettext("读取时出错（%(error)s），已放弃。") % {"error": type(exc).__name__})
        conn.send(result)


class BoundedAuditor:
    """``auditor(data, source)`` like `audit_bytes`, but each call bounded in time and memory.

    Use as a context manager (or call `close`) so the worker ends with it.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._context = multiprocessing.get_context("fork")
        self._process: Any = None
        self._conn: multiprocessing.connection.Connection | None = None

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def __call__(self, data: bytes, source: str) -> AuditResult:
        if self._process is None or not self._process.is_alive():
            self._kill()
            self._start()
        assert self._conn is not None
        try:
            self._conn.send((data, source))
            if self._conn.poll(self.timeout):
                result: AuditResult = self._conn.recv()
                return result
        except (EOFError, OSError, BrokenPipeError):
            self._kill()
            return unreadable(source, gettext("读取此文件时进程异常退出（可能超出内存上限），已放弃。"))
        self._kill()
        return unreadable(source, gettext("超过 %(seconds)g 秒仍未读完，已放弃（文件可能异常或过于复杂）。") % {
            "seconds": self.timeout})

    def close(self) -> None:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            try:
                self._conn.send(None)
                self._process.join(2)
            except (OSError, BrokenPipeError):
                pass
        self._kill()

    def __enter__(self) -> BoundedAuditor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

