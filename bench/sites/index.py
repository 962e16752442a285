"""What routing by host name costs: building the site table (once per publication generation per process) and
resolving a Host header (every request), at 1, 100 and 2,000 sites.

    GONGKAI_DATA_DIR=$(mktemp -d) .venv/bin/python bench/sites/index.py

Prints the median and the spread of each over several runs; figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from gongkai.orgs.models import Organisation  # noqa: E402
from gongkai.sites import selectors  # noqa: E402
from gongkai.sites.models import Site, SiteHost  # noqa: E402


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def grow(to: int) -> None:
    root = Organisation.objects.filter(parent__isnull=True).first()
    if root is None:
        root = Organisation.objects.create(name="省人民政府", code="s0", index_code="S0")
        Site.objects.create(organisation=root, name="省政府门户网站", url="https://www.example.gov.cn", is_main=True)
        SiteHost.objects.create(host="www.example.gov.cn", site=Site.objects.get(organisation=root))
    have = Site.objects.count()
    for n in range(have, to):
        org = Organisation.objects.create(name=f"部门{n}", code=f"d{n}", index_code=f"D{n}", parent=root)
        site = Site.objects.create(organisation=org, name=f"部门{n}网站", url=f"https://d{n}.example.gov.cn")
        SiteHost.objects.create(host=f"d{n}.example.gov.cn", site=site)


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"{'sites':>6} {'build median':>14} {'build min–max':>18} {'lookup median':>14}")
    for size in (1, 100, 2000):
        grow(size)
        builds = timed(selectors.build_index, 7)
        index = selectors.build_index()
        hosts = [f"d{n % max(size - 1, 1)}.example.gov.cn:443" for n in range(10_000)]

        def lookups(index: selectors.SiteIndex = index, hosts: list[str] = hosts) -> None:
            for host in hosts:
                index.by_host.get(selectors.normalise_host(host))

        per = [t / len(hosts) for t in timed(lookups, 5)]
        print(f"{size:>6} {statistics.median(builds) * 1000:>11.1f} ms {min(builds) * 1000:>8.1f}–{max(builds) * 1000:.1f} ms"
              f" {statistics.median(per) * 1e6:>11.2f} µs")


if __name__ == "__main__":
    main()
