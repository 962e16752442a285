"""p50/p95 of `gongkai.search.selectors.search()` beside the index queries it runs, in the same run.

    GONGKAI_DATA_DIR=… [DATABASE_URL=…] .venv/bin/python bench/search/queries.py [--runs 30] [QUERY …]

Without QUERY it measures the searches of issues 5 and 17: a common word, two words, an exact phrase, a 文号
taken from the index, a word found nowhere, and three fragments that cut through segmented words. For each
query it times, interleaved run by run:
- `search()`: one request in process (candidates, ranking, facets, the page's hits read and highlighted);
- the yardstick, "index": the database work search() needs, alone (`backend().candidates`: the full-text
  match, newest first, joined to the rows for the filters and facets, phrases checked verbatim);
- the bare full-text match ("match": the back end's `index_queries`, no join, filter or check).
It prints a Markdown table of p50/p95 in wall time, search() over index as the ratio, and the CPU time of this
process (on SQLite that is all the work, the database's included; on PostgreSQL the server's is apart, and on
a shared machine CPU time is the steadier figure). Each is run once before timing; the database's own caches
are warm, as on a busy server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")


def default_queries() -> list[str]:
    from gongkai.search.models import SearchDocument

    docno = (SearchDocument.objects.exclude(document_number="").order_by("id")
             .values_list("document_number", flat=True).first())
    return ["通知", "高新技术企业 认定", '"优化营商环境"', docno or "银科发〔2019〕10号", "量子引力波",
            "学技术局", "新券", "新技术企"]


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from gongkai.search import analysis
    from gongkai.search.backends import Filters, backend
    from gongkai.search.models import SearchDocument
    from gongkai.search.selectors import search

    def index(raw: str) -> None:
        backend().candidates(analysis.parse_query(raw), Filters(), timezone.now())

    def bare(raw: str) -> None:
        with connection.cursor() as cursor:
            for sql, params in backend().index_queries(analysis.parse_query(raw)):
                cursor.execute(sql, params)
                cursor.fetchall()

    size = SearchDocument.objects.count()
    print(f"{connection.vendor}, {size:,} search documents, {args.runs} runs each\n")
    print("| query | results | search p50 ms | p95 | index p50 ms | p95 | match p50 ms | p95 | ratio p50 | ratio p95 "
          "| search CPU ms | index CPU ms | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for raw in args.queries or default_queries():
        results = search(raw)
        index(raw)
        bare(raw)
        wall: dict[str, list[float]] = {"search": [], "index": [], "match": []}
        cpu: dict[str, list[float]] = {"search": [], "index": [], "match": []}
        for _ in range(args.runs):
            for name, run in (("search", search), ("index", index), ("match", bare)):
                start, started_cpu = time.perf_counter(), time.process_time()
                run(raw)
                wall[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
        total = f"{'≥' if results.total_is_lower_bound else ''}{results.total}"
        p50 = {k: statistics.median(v) for k, v in wall.items()}
        p95 = {k: percentile(v, 0.95) for k, v in wall.items()}
        c50 = {k: statistics.median(v) for k, v in cpu.items()}
        print(f"| {raw} | {total} | {p50['search']:.1f} | {p95['search']:.1f} | {p50['index']:.1f} | {p95['index']:.1f} "
              f"| {p50['match']:.1f} | {p95['match']:.1f} | {p50['search'] / p50['index']:.1f} "
              f"| {p95['search'] / p95['index']:.1f} | {c50['search']:.1f} | {c50['index']:.1f} "
              f"| {c50['search'] / max(c50['index'], 0.01):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
