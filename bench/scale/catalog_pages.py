"""What the catalog's numbered pages cost at scale: the bounded count, a numbered page, and the keyset page.

    GONGKAI_DATA_DIR=/tmp/gk-1m .venv/bin/python bench/scale/catalog_pages.py [--runs 15]

For each filter of the catalog browser (none, an organisation's subtree, a topic, topic + genre, a year) it
times, in process, the median wall ms of: the count bounded at COUNT_CAP, page 1, page 50, the last numbered
page (COUNT_CAP / 20), and the keyset page one `page_of` that the catalog used before. A numbered page here
includes its count; the portal keeps one count per filter per publication generation (fragments.memo). A warm-up run
precedes each (the database's pages in memory, as on a server that has been running).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django

django.setup()

from gongkai.catalog import selectors as cat  # noqa: E402
from gongkai.catalog.models import Item  # noqa: E402
from gongkai.orgs.models import Organisation  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    root = Organisation.objects.filter(parent__isnull=True).first()
    small = Organisation.objects.filter(parent__isnull=False, children__isnull=True).order_by("pk").first()
    topic = Item.objects.values_list("topic", flat=True).exclude(topic="").first() or ""
    genre = Item.objects.filter(topic=topic).values_list("genre", flat=True).exclude(genre="").first() or ""
    year = cat.live_year_range()[1] if len(cat.live_year_range()) > 1 else None
    filters = {
        "none": cat.CatalogFilters(),
        "root subtree": cat.CatalogFilters(organisation=root),
        "small office": cat.CatalogFilters(organisation=small),
        "topic": cat.CatalogFilters(topic=topic),
        "topic+genre": cat.CatalogFilters(topic=topic, genre=genre),
        "year": cat.CatalogFilters(year=year),
    }
    last = cat.COUNT_CAP // 20
    print(f"items: {Item.objects.count():,}; COUNT_CAP {cat.COUNT_CAP:,}; median of {runs} runs, ms")
    print(f"| filter | total shown | count | page 1 | page 50 | page {last} | keyset page 1 (before) |")
    print("|---|---|---|---|---|---|---|")
    for name, f in filters.items():
        qs = cat.browse(f)
        first = cat.numbered_page(qs, 1)
        assert first is not None
        shown = f"{first.total:,}{'+' if first.total_is_lower_bound else ''}"
        count = median_ms(lambda qs=qs: cat.bounded_count(qs), runs)
        cells = [count]
        for n in (1, 50, last):
            page = min(n, first.page_count)
            cells.append(median_ms(lambda qs=qs, page=page: cat.numbered_page(qs, page), runs))
        cells.append(median_ms(lambda qs=qs: cat.page_of(qs, cursor=None), runs))
        print(f"| {name} | {shown} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
