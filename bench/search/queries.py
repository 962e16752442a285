"""p50/p95 of `gongkai.search.selectors.search()` beside its bare index queries, in the same run.

    GONGKAI_DATA_DIR=… [DATABASE_URL=…] .venv/bin/python bench/search/queries.py [--runs 30] [QUERY …]

Without QUERY it measures the searches of issues 5 and 17: a common word, two words, an exact phrase, a 文号
taken from the index, a word found nowhere, and three fragments that cut through segmented words. For each
query it times, interleaved run by run, `search()` (with facets, ranking, highlighting of the page: one
request in process) and the yardstick: the bare index lookups `search()` makes (the back end's
`index_queries`: the full-text MATCH ordered newest first, limited to the candidates, without joins, filters,
checks or ranking), and prints a Markdown table with both and their ratio. Each is run once before timing
(connection, caches of the process); the database's own caches are warm, as on a busy server.
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

    from gongkai.search import text
    from gongkai.search.backends import backend
    from gongkai.search.models import SearchDocument
    from gongkai.search.selectors import search

    def bare(raw: str) -> None:
        with connection.cursor() as cursor:
            for sql, params in backend().index_queries(text.parse_query(raw)):
                cursor.execute(sql, params)
                cursor.fetchall()

    size = SearchDocument.objects.count()
    print(f"{connection.vendor}, {size:,} search documents, {args.runs} runs each\n")
    print("| query | results | search p50 ms | p95 ms | index p50 ms | p95 ms | ratio p50 | ratio p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for raw in args.queries or default_queries():
        results = search(raw)
        bare(raw)
        full, index = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            search(raw)
            full.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare(raw)
            index.append((time.perf_counter() - start) * 1000)
        total = f"{'≥' if results.total_is_lower_bound else ''}{results.total}"
        f50, f95, i50, i95 = (statistics.median(full), percentile(full, 0.95), statistics.median(index),
                              percentile(index, 0.95))
        print(f"| {raw} | {total} | {f50:.1f} | {f95:.1f} | {i50:.1f} | {i95:.1f} | {f50 / i50:.1f} | {f95 / i95:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
