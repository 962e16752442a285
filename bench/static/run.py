"""Static publishing (静态发布) at scale: files written per publication, rebuild time, and a static page's
requests/s beside /healthz in the same run.

    GONGKAI_DATA_DIR=/tmp/gk-200k .venv/bin/python bench/static/run.py [--sample 3000] [--publishes 20]
        [--sites 10] [--seconds 10] [--rounds 3] [--full]

The database must have been filled by `gongkai seed-scale`; the run adds (and then withdraws) --publishes items
of its own through the catalog services, and when the database has no sites it makes the top organisation's the
main site and gives --sites of the organisations below it sites of their own (www.bench.localhost,
s1.bench.localhost, …), so use a data directory kept for benchmarks.

0. Sites: the files go into one directory per site; the publication is made in the largest column of an
   organisation with a site of its own, so that it touches that site and the main site above it.
1. Rebuild: every site's own pages (home, organisation list, reports, sitemaps) rendered and written into a
   fresh directory, then the pages of --sample-orgs organisations (each one's page, guide, duty lists, columns with
   their first pages and feeds), then the item pages of --sample items; the rebuild time at this size and at
   1,000,000 items is those figures scaled up by the numbers of organisations and items (or, with --full, the
   whole `gongkai static-site`, timed).
2. Per publication: --publishes items published into the largest column, one at a time, each followed by the
   pass the worker runs (static_site.publish over addresses_for); then each withdrawn the same way. Pages
   rendered, files written and removed, seconds: medians.
3. Requests/s: nginx with deploy/nginx/gongkai-static-site.conf in front of `gongkai serve`; wrk (one thread,
   --connections) loads /healthz (proxied to the application), a static item page, the static home page and
   the same item page from the application (?fs=medium, page cache on), in turn, --rounds times, all with the
   Host of the item's site.

Needs nginx (Debian package nginx-light) and wrk. Traffic goes only to 127.0.0.1; every load is bounded.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE.parent / "servers"))
from run import free_port, server_cpu_seconds, wait_until_up  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.pop("GONGKAI_STATIC_SITE_DIR", None)  # the passes here are run and timed by hand
    django.setup()


def ensure_sites(count: int) -> list[str]:
    """Without any site in the database: the top organisation's becomes the main site (www.bench.localhost) and
    the `count` organisations below it with the most items get sites of their own (sN.bench.localhost)."""
    from django.db.models import Count

    from gongkai.orgs.models import Organisation
    from gongkai.sites import services
    from gongkai.sites.models import Site

    if not Site.objects.exists():
        top = Organisation.objects.filter(parent__isnull=True).order_by("path").first()
        assert top is not None, "seed the database first (gongkai seed-scale)"
        services.save_site(None, Site(organisation=top, name=f"{top.name}门户网站", url="http://www.bench.localhost",
                                      is_main=True, home_layout=Site.Layout.PORTAL))
        below = Organisation.objects.filter(parent=top).annotate(n=Count("items")).order_by("-n", "path")[:count]
        for n, org in enumerate(below, start=1):
            services.save_site(None, Site(organisation=org, name=f"{org.name}网站", url=f"http://s{n}.bench.localhost",
                                          home_layout=Site.Layout.COLUMNS))
    return list(Site.objects.order_by("pk").values_list("url", flat=True))


def rebuild(root: Path, sample: int, sample_orgs: int, full: bool) -> dict[str, Any]:
    from gongkai.core import generation

    with generation.request_generation():  # as the rebuild: one site table for the pass
        return _rebuild(root, sample, sample_orgs, full)


def _rebuild(root: Path, sample: int, sample_orgs: int, full: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from gongkai.catalog import selectors as cat
    from gongkai.orgs import selectors as org_sel
    from gongkai.portal import static_site

    items = cat.live_items().count()
    if full:
        started = time.perf_counter()
        call_command("static-site", "--out", str(root))
        return {"items": items, "measured_s": time.perf_counter() - started}
    started, cpu = time.perf_counter(), time.process_time()
    site_pages = [a for host in static_site.published_sites()
                  for a in [*static_site.site_addresses(host), *static_site.report_list_addresses(host)]]
    site = static_site.publish(list(dict.fromkeys(site_pages)), root)
    static_site.link_hosts(root)
    site_s, site_cpu = time.perf_counter() - started, time.process_time() - cpu
    # The organisations' pages (with their columns' lists and feeds) of every `step`-th organisation, scaled
    # up by the number of organisations.
    orgs = list(org_sel.organisations_in_order())
    step = max(1, len(orgs) // max(sample_orgs, 1))
    started, cpu = time.perf_counter(), time.process_time()
    pages: list[static_site.Address] = []
    for org in orgs[::step]:
        pages += [*static_site.organisation_addresses(org), *static_site.report_addresses(org)]
    sampled = static_site.publish(pages, root)
    scale = len(orgs) / len(orgs[::step])
    other_s = site_s + (time.perf_counter() - started) * scale
    other_cpu = site_cpu + (time.process_time() - cpu) * scale
    other = static_site.Outcome(rendered=site.rendered + round(sampled.rendered * scale))
    # The item pages as the rebuild walks them (every `step`-th would spread them over the sites; the first
    # --sample are as good: each item page costs the same wherever it is).
    started, cpu = time.perf_counter(), time.process_time()
    addresses = list(itertools.islice(static_site.item_addresses(), sample))
    static_site.publish(addresses, root)
    ids = [int(a.path.strip("/").split("/")[-1]) for a in addresses]
    per_item = (time.perf_counter() - started) / max(len(ids), 1)
    per_item_cpu = (time.process_time() - cpu) / max(len(ids), 1)
    # At 1,000,000 items the lists grow with the organisations' columns, not with the items: the non-item
    # pages are nevertheless scaled with the items (as if organisations and sites grew with them), to be safe.
    grow = 1_000_000 / max(items, 1)
    return {
        "items": items, "other_pages": other.rendered, "other_s": other_s, "other_cpu": other_cpu,
        "sample": len(ids), "per_item_ms": per_item * 1000, "per_item_cpu_ms": per_item_cpu * 1000,
        "estimate_s": other_s + per_item * items, "estimate_cpu_s": other_cpu + per_item_cpu * items,
        "estimate_1m_s": other_s * grow + per_item * 1_000_000,
        "estimate_1m_cpu_s": other_cpu * grow + per_item_cpu * 1_000_000, "item_ids": ids,
    }


def publications(root: Path, count: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from gongkai.catalog import services
    from gongkai.catalog.models import Column, Item
    from gongkai.core import generation
    from gongkai.core.public_changes import Change
    from gongkai.orgs import selectors as org_sel
    from gongkai.orgs.models import Membership, Role
    from gongkai.portal import static_site
    from gongkai.review.models import Revision

    # The largest column of an organisation with a site of its own (not the main site's): a publication there
    # touches its site's pages and the main site's home page.
    own = [o.pk for o in org_sel.organisations_in_order() if not static_site.home_site(o).is_main]
    columns = Column.objects.filter(organisation_id__in=own) if own else Column.objects.all()
    column = columns.annotate(n=Count("items")).order_by("-n").select_related("organisation").first()
    assert column is not None, "seed the database first (gongkai seed-scale)"
    org = column.organisation
    user, _ = get_user_model().objects.get_or_create(username="bench-static-editor")
    Membership.objects.get_or_create(user=user, organisation=org, role=Role.EDITOR)
    data = {
        "column_id": column.pk, "summary": "", "body": "<p>静态发布基准测试。</p>", "document_number": "",
        "written_on": None, "topic": "02", "genre": "notice", "keywords": "", "source": "", "is_policy": False,
        "is_normative": False, "validity": "", "effective_on": None, "expires_on": None, "abolished_on": None,
        "disclosure": "proactive", "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "",
        "index_number": "",
    }

    def one_pass(pk: int) -> tuple[float, float, static_site.Outcome]:
        started, cpu = time.perf_counter(), time.process_time()
        with generation.request_generation():  # as the worker's task
            outcome = static_site.publish(static_site.addresses_for([Change("item", pk)]), root)
        return time.perf_counter() - started, time.process_time() - cpu, outcome

    published, withdrawn = [], []
    items = []
    for n in range(count):
        with transaction.atomic():  # as review publishes: one transaction
            item = services.create_item(user, org, {**data, "title": f"静态发布基准测试通知{n}"})
            revision = Revision.objects.filter(object_id=item.pk).order_by("-number").first()
            assert revision is not None
            services.publish_revision(item, revision, user, timezone.now())
        items.append(item.pk)
        published.append(one_pass(item.pk))
    for pk in items:
        services.withdraw_item(user, Item.objects.get(pk=pk), "基准测试结束撤稿")
        withdrawn.append(one_pass(pk))

    def medians(runs: list[tuple[float, float, static_site.Outcome]]) -> dict[str, float]:
        return {
            "seconds": statistics.median(s for s, _, _ in runs),
            "cpu": statistics.median(c for _, c, _ in runs),
            "rendered": statistics.median(o.rendered for _, _, o in runs),
            "written": statistics.median(len(o.written) for _, _, o in runs),
            "removed": statistics.median(len(o.removed) for _, _, o in runs),
        }

    return {"column": f"{org.code}/{column.slug}", "column_items": column.n, "publish": medians(published),
            "withdraw": medians(withdrawn)}


NGINX = """worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    include {repo}/deploy/nginx/gongkai-static-site.conf;
    upstream gongkai {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {root}/$gongkai_static_site; try_files $gongkai_static @gongkai; add_header X-Static-Site 1 always; }}
        location @gongkai {{
            proxy_pass http://gongkai; proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
}}
"""


def wrk(url: str, host: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
                          "-H", f"Host: {host}", url],
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if found is None:
            raise SystemExit(f"no {label}th percentile in wrk's output for {url}:\n{out}")
        return float(found[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[found[2]]

    if re.search(r"Non-2xx|Socket errors: connect [1-9]", out) or " 0 requests in" in out:
        raise SystemExit(f"errors loading {url}:\n{out}")
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50": ms("50"), "p99": ms("99")}


def over_http(root: Path, host: str, item_id: int, seconds: int, rounds: int, connections: int) -> list[tuple[str, dict[str, float], float]]:
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-static-"))
    app_port, port = free_port(), free_port()
    app = subprocess.Popen([str(VENV_BIN / "gongkai"), "serve", "--port", str(app_port)],
                           stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"))  # noqa: SIM115
    (tmp / "nginx.conf").write_text(NGINX.format(tmp=tmp, repo=REPO, app_port=app_port, port=port, root=root))
    nginx = subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf")], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"http://127.0.0.1:{app_port}/healthz", app, timeout=120)
        wait_until_up(base + "/healthz", nginx, timeout=30)
        pages = {
            "/healthz (application, through nginx)": "/healthz",
            "static item page (file)": f"/items/{item_id}/",
            "static home page (file)": "/",
            "same item page from the application (page cache)": f"/items/{item_id}/?fs=medium",
        }
        for path in pages.values():  # each answers 200 (and the application's page is in its cache)
            request = urllib.request.Request(base + path, headers={"Host": host})
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200, (path, response.status)
                from_file = response.headers.get("X-Static-Site") == "1"
                assert from_file == ("(file)" in next(n for n, p in pages.items() if p == path)), (path, from_file)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
        cpu: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(rounds):
            for name, path in pages.items():
                before = server_cpu_seconds(app.pid)
                result = wrk(base + path, host, seconds, connections)
                results[name].append(result)
                cpu[name].append((server_cpu_seconds(app.pid) - before) / max(result["rps"] * seconds, 1) * 1e6)
        return [(name, {k: statistics.median(r[k] for r in runs) for k in runs[0]},
                 statistics.median(cpu[name])) for name, runs in results.items()]
    finally:
        nginx.terminate()
        app.terminate()
        nginx.wait(30)
        app.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


def print_http(rows: list[tuple[str, dict[str, float], float]], args: argparse.Namespace) -> None:
    healthz = rows[0][1]["rps"]
    print(f"\n### Requests/s (wrk -t1 -c{args.connections}, Host of the item's site, {args.seconds} s × {args.rounds} rounds, medians)\n")
    print("| address | req/s | × /healthz | p50 ms | p99 ms | app CPU µs/req |\n|---|---:|---:|---:|---:|---:|")
    for name, m, cpu in rows:
        print(f"| {name} | {m['rps']:,.0f} | {m['rps'] / healthz:.2f} | {m['p50']:.2f} | {m['p99']:.2f} | {cpu:,.0f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=3000, help="item pages rendered to time the rebuild")
    parser.add_argument("--sample-orgs", type=int, default=10, help="organisations whose pages are timed")
    parser.add_argument("--full", action="store_true", help="time the whole rebuild instead of extrapolating")
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--sites", type=int, default=10, help="sites made below the main one, if there are none")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--http-only", action="store_true", help="only the requests/s (home and one item as files)")
    args = parser.parse_args()
    setup_django()
    site_urls = ensure_sites(args.sites)
    print(f"{len(site_urls)} sites: {', '.join(site_urls[:3])}{', …' if len(site_urls) > 3 else ''}")
    root = Path(tempfile.mkdtemp(prefix="gongkai-static-site-"))
    root.chmod(0o755)  # nginx's workers run as another user: an unreadable file is, to try_files, no file
    from gongkai.portal import static_site

    if args.http_only:
        from gongkai.catalog import selectors as cat

        address = static_site.item_address(next(iter(cat.live_item_ids())))
        assert address is not None
        static_site.publish([static_site.Address(address.host, "/"), address], root)
        item_id = int(address.path.strip("/").split("/")[-1])
        print_http(over_http(root, address.host, item_id, args.seconds, args.rounds, args.connections), args)
        shutil.rmtree(root, ignore_errors=True)
        return 0
    try:
        built = rebuild(root, args.sample, args.sample_orgs, args.full)
        print(f"\n### Rebuild ({built['items']:,} live items)\n")
        if args.full:
            print(f"whole `gongkai static-site`: {built['measured_s']:.0f} s")
        else:
            print(f"- every page but the items': {built['other_pages']:,} pages in {built['other_s']:.1f} s "
                  f"({built['other_cpu']:.1f} s CPU)")
            print(f"- item pages: {built['per_item_ms']:.1f} ms each ({built['per_item_cpu_ms']:.1f} ms CPU) "
                  f"over {built['sample']:,}")
            print(f"- whole rebuild, extrapolated: {built['estimate_s'] / 60:.1f} min "
                  f"({built['estimate_cpu_s'] / 60:.1f} min CPU) at {built['items']:,} items, "
                  f"{built['estimate_1m_s'] / 60:.0f} min ({built['estimate_1m_cpu_s'] / 60:.0f} min CPU) at 1,000,000")
        runs = publications(root, args.publishes)
        print(f"\n### Per publication (into {runs['column']}, {runs['column_items']:,} items; medians of {args.publishes})\n")
        print("| change | pages rendered | files written | files removed | seconds | CPU s |\n|---|---:|---:|---:|---:|---:|")
        for name in ("publish", "withdraw"):
            m = runs[name]
            print(f"| {name} | {m['rendered']:.0f} | {m['written']:.0f} | {m['removed']:.0f} | {m['seconds']:.2f} "
                  f"| {m['cpu']:.2f} |")
        item_id = built["item_ids"][0] if not args.full else next(iter(sorted(
            int(p.parent.name) for p in root.glob("*/items/*/index.html"))))
        address = static_site.item_address(item_id)
        assert address is not None
        print_http(over_http(root, address.host, item_id, args.seconds, args.rounds, args.connections), args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
