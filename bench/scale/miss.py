"""The cost of a page-cache miss, in process: CPU ms and queries per page kind, over distinct addresses.

    GONGKAI_DATA_DIR=/tmp/gk-1m .venv/bin/python bench/scale/miss.py [--per-kind 30] [--profile item]

Each request goes through django.test.Client (all middleware) with the page cache on but emptied before each
request, so every one misses and renders, as a first visit to an address does in a server (the generation read
and the store included). Caches shared by many addresses (fragments) stay warm, as they do in a server. CPU time is this thread's (SQLite runs in it, so it includes the queries). Per kind: the median and p90 of
CPU ms, and the median query count and query ms (from a second pass that records queries, which costs extra).
Query ms counts time inside cursor.execute only: SQLite steps through rows as they are fetched, so it
understates the database's share. --profile KIND prints the top functions of a cProfile run over that kind's addresses.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

from addresses import spread_pages


class QueryTimer:
    """An execute wrapper counting the queries of a request and their wall time (CPU for in-process SQLite)."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.slowest: tuple[float, str] = (0.0, "")

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.seconds += spent
            self.slowest = max(self.slowest, (spent, sql))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-kind", type=int, default=30, help="distinct addresses per page kind")
    parser.add_argument("--profile", default="", help="cProfile the kinds whose name starts with this")
    parser.add_argument("--slow", type=float, default=0, help="print requests whose queries took this many ms")
    parser.add_argument("--only", default="", help="measure only the kinds whose name starts with this")
    args = parser.parse_args()
    kinds = spread_pages()
    from django.db import connection
    from django.test import Client

    from gongkai.portal.page_cache import pages as page_cache

    def get(path: str) -> Any:
        page_cache.clear()
        return client.get(path)

    client = Client()
    for _, paths in kinds:  # warm: imports, template loading, the database's pages for the chrome
        get(paths[-1])
    print("| page | CPU ms p50 | CPU ms p90 | queries | query ms |")
    print("|---|---:|---:|---:|---:|")
    for name, all_paths in kinds:
        if args.only and not name.startswith(args.only):
            continue
        paths = all_paths[: args.per_kind]
        cpu: list[float] = []
        for path in paths:
            started = time.thread_time()
            response = get(path)
            cpu.append((time.thread_time() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        counts, query_ms = [], []
        for path in paths:
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                get(path)
            counts.append(timer.count)
            query_ms.append(timer.seconds * 1000)
            if args.slow and timer.seconds * 1000 >= args.slow:
                print(f"  slow: {unquote(path)} {timer.seconds * 1000:.0f} ms: {timer.slowest[1][:300]}")
        cpu.sort()
        print(f"| {name.split(' (')[0]} | {statistics.median(cpu):.1f} | {cpu[int(len(cpu) * 0.9)]:.1f} | "
              f"{statistics.median(counts):.0f} | {statistics.median(query_ms):.1f} |", flush=True)
        if args.profile and name.startswith(args.profile):
            profiler = cProfile.Profile()
            profiler.enable()
            for path in paths:
                get(path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
