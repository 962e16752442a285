"""First renders in process: CPU per render of each public page kind, with /healthz as the yardstick.

    GONGKAI_DATA_DIR=DIR [DATABASE_URL=...] .venv/bin/python bench/render/run.py [--per-kind 200] [--seed-items N]
        [--profile item] [--only search]

The data directory must hold a synthetic province (`gongkai seed-scale`); with --seed-items N an empty one is
seeded first (N items, 2,000 organisations). Each page kind is rendered at --per-kind distinct addresses drawn from
the data (bench/scale/addresses.py) through Django's WSGI handler in this process (every middleware, no network),
with the page cache on but emptied before each request, so each one is a first render as a first visitor's is in
a server: the publication generation read, the fragments shared by many addresses (warm, as in a server) and the
store of the finished page included. Each kind first renders a few addresses of its own to warm up (imports,
templates, the database's pages), then every address once, timed by this process's CPU clock
(time.process_time): SQLite runs inside it, so there that is the whole cost; PostgreSQL's server works in its own
processes, apart (the wall time is printed beside). /healthz is measured the same way in the same run.

Printed: a Markdown table of CPU ms per render (median, p95), wall ms median, the ratio of the median to /healthz's
and queries per render. --profile KIND prints cProfile's top functions over that kind's addresses.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scale"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

KINDS = ("home", "column first page", "column deep page", "item page", "catalog", "search: one word",
         "search: two words", "search: 文号", "search: phrase")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Renderer:
    """GET an address through the WSGI handler with the page cache emptied first; the body is read in full."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test.client import RequestFactory

        from gongkai.portal.page_cache import pages

        self.handler = WSGIHandler()
        self.factory = RequestFactory()
        self.pages = pages
        self.visitor = 0

    def __call__(self, address: str) -> int:
        parts = urlsplit(address)
        self.visitor += 1
        # Distinct visitors: search's rate limit (per address) must not answer 429 to a benchmark of 1,000 searches.
        environ = self.factory._base_environ(
            PATH_INFO=parts.path, QUERY_STRING=parts.query, REQUEST_METHOD="GET",
            REMOTE_ADDR=f"10.{self.visitor >> 16 & 255}.{self.visitor >> 8 & 255}.{self.visitor & 255}",
        )
        self.pages.clear()
        status: list[str] = []
        body = self.handler(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        return int(status[0].split()[0])


def measure(render: Renderer, addresses: Iterable[str]) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for address in addresses:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        status = render(address)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started_wall) * 1000)
        assert status == 200, (address, status)
    return cpu, wall


def count_queries(render: Renderer, addresses: list[str]) -> float:
    from django.db import connection

    counts = []
    for address in addresses:
        seen = [0]

        def counter(execute: Callable[..., Any], *args: Any, seen: list[int] = seen) -> Any:
            seen[0] += 1
            return execute(*args)

        with connection.execute_wrapper(counter):
            render(address)
        counts.append(seen[0])
    return statistics.median(counts)


def seed(items: int) -> None:
    from django.core.management import call_command

    from gongkai.catalog.models import Item

    call_command("migrate", verbosity=0)
    if not Item.objects.exists():
        call_command("seed-scale", items=items, orgs=2000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-kind", type=int, default=200, help="distinct addresses per page kind")
    parser.add_argument("--warm", type=int, default=10, help="addresses of each kind rendered before timing")
    parser.add_argument("--seed-items", type=int, default=0, help="seed an empty data directory with N items first")
    parser.add_argument("--only", default="", help="measure only the kinds whose name starts with this")
    parser.add_argument("--profile", default="", help="cProfile the kinds whose name starts with this")
    parser.add_argument("--profile-lines", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    if args.seed_items:
        seed(args.seed_items)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the pages name hashed static files
    from addresses import spread_pages
    from django.conf import settings
    from django.db import connection

    from gongkai.catalog.models import Item

    assert settings.PAGE_CACHE_SECONDS > 0, "the page cache must be on (GONGKAI_PAGE_CACHE_SECONDS)"
    kinds = spread_pages(per_kind=args.per_kind + args.warm)
    render = Renderer()
    backend = f"{connection.vendor}, {Item.objects.count():,} items"
    health_cpu, health_wall = measure(render, ["/healthz"] * (args.per_kind + args.warm))
    health_cpu = health_cpu[args.warm:]
    health = statistics.median(health_cpu)
    print(f"{backend}; /healthz: CPU ms median {health:.3f}, p95 {percentile(health_cpu, 0.95):.3f}")
    print("| page | addresses | CPU ms median | CPU ms p95 | wall ms median | × /healthz (median) | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| /healthz | {len(health_cpu)} | {health:.2f} | {percentile(health_cpu, 0.95):.2f} | "
          f"{statistics.median(health_wall):.2f} | 1 | 0 |")
    for (_label, addresses), kind in zip(kinds, KINDS, strict=True):
        if args.only and not kind.startswith(args.only):
            continue
        warm, timed = addresses[: args.warm], addresses[args.warm: args.warm + args.per_kind]
        measure(render, warm)
        cpu, wall = measure(render, timed)
        queries = count_queries(render, timed[:20])
        median = statistics.median(cpu)
        print(f"| {kind} | {len(timed)} | {median:.2f} | {percentile(cpu, 0.95):.2f} | "
              f"{statistics.median(wall):.2f} | {median / health:.0f} | {queries:.0f} |", flush=True)
        if args.profile and kind.startswith(args.profile):
            profiler = cProfile.Profile()
            profiler.enable()
            measure(render, timed)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(args.profile_lines)
            stats.sort_stats("tottime").print_stats(args.profile_lines)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
