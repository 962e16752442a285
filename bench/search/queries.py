"""p50/p95 of `gongkai.search.selectors.search()` (with facets, one request at a time, in process).

    GONGKAI_DATA_DIR=… [DATABASE_URL=…] .venv/bin/python bench/search/queries.py [--runs 30] [QUERY …]

Without QUERY it measures the four searches of issue 5: a common word, two words, a 文号 taken from the
index, an exact phrase. Prints a Markdown table. Each search is run once before timing (connection, caches of
the process); the database's own caches are warm, as on a busy server.
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
    return ["通知", "高新技术企业 认定", docno or "银科发〔2019〕10号", '"优化营商环境"']


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("queries", nargs="*")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from gongkai.search.models import SearchDocument
    from gongkai.search.selectors import search

    size = SearchDocument.objects.count()
    print(f"{connection.vendor}, {size:,} search documents, {args.runs} runs each\n")
    print("| query | results | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for raw in args.queries or default_queries():
        results = search(raw)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            search(raw)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
        total = f"{'≥' if results.total_is_lower_bound else ''}{results.total}"
        print(f"| {raw} | {total} | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
