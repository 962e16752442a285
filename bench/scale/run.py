"""Measure the portal at scale, served by `gongkai serve`, each page beside /healthz in the same run.

    GONGKAI_DATA_DIR=/tmp/gk-scale-sqlite .venv/bin/python bench/scale/run.py
    DATABASE_URL=postgres://... GONGKAI_DATA_DIR=/tmp/gk-scale-pg .venv/bin/python bench/scale/run.py
    ... --soak 600      # also a 10-minute mixed load, sampling the server's resident memory

The database must have been filled by `gongkai seed-scale`. For each page, wrk loads /healthz and then the
page for --seconds each (in that order, twice), and the table shows both, their ratio, p50/p95/p99 and the
server's CPU time per request. Traffic goes only to 127.0.0.1; every load is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "servers"))
from run import free_port, server_cpu_seconds, wait_until_up  # noqa: E402

VENV_BIN = Path(sys.executable).parent


@dataclass
class Row:
    name: str
    path: str
    rps: float
    p50: float
    p95: float
    p99: float
    cpu_us: float
    errors: str


def wrk(url: str, seconds: int, connections: int, script: Path, env: dict[str, str] | None = None) -> tuple[float, float, float, float, int, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=seconds + 60, env=env,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p = {k: int(v) / 1000 for k, v in re.findall(r"^(P\d\d) (\d+)$", out, re.M)}
    errors = re.search(r"Socket errors:.*|Non-2xx or 3xx responses: \d+", out)
    return rps, p["P50"], p["P95"], p["P99"], count, errors.group(0) if errors else ""


def pages() -> list[tuple[str, str]]:
    """The addresses to measure, chosen from the seeded data (run inside Django)."""
    import django

    django.setup()
    from django.db.models import Count

    from gongkai.catalog.models import Column, Item
    from gongkai.search.models import SearchDocument

    busiest = (Item.objects.values("column_id").annotate(n=Count("id")).order_by("-n").first())
    assert busiest is not None, "no items: run gongkai seed-scale first"
    column = Column.objects.select_related("organisation").get(pk=busiest["column_id"])
    column_url = column.get_absolute_url()
    # A deep page: the cursor of the item 90% of the way down the busiest column.
    deep = (Item.objects.filter(column=column).order_by("-published_at", "-id")
            .values_list("published_at", "id")[int(busiest["n"] * 0.9)])
    deep_cursor = f"{deep[0].timestamp():.6f}_{deep[1]}"
    item = Item.objects.order_by("-id").values_list("id", flat=True)[Item.objects.count() // 2]
    rare = (SearchDocument.objects.exclude(document_number="").order_by("id")
            .values_list("document_number", flat=True).first())
    return [
        ("home", "/"),
        (f"column first page ({busiest['n']:,} items)", column_url),
        ("column deep page (90%)", f"{column_url}?after={deep_cursor}"),
        ("item page", f"/items/{item}/"),
        ("catalog, two filters", "/catalog/?topic=02&genre=notice"),
        ("search: common word 通知", "/search/?q=" + quote("通知")),
        ("search: two words 高新技术企业 认定", "/search/?q=" + quote("高新技术企业 认定")),
        (f"search: rare (文号 {rare})", "/search/?q=" + quote(rare or "无")),
        ("search: phrase “优化营商环境”", "/search/?q=" + quote('"优化营商环境"')),
    ]


def rss_kib(root: int) -> int:
    """Resident memory of a process and its descendants (gunicorn's workers), from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = int(re.search(r"^PPid:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        pid = int(status.parent.name)
        if pid == root or ppid == root:
            rss = re.search(r"^VmRSS:\s+(\d+)", text, re.M)
            total += int(rss.group(1)) if rss else 0
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--soak", type=int, default=0, help="seconds of mixed load for the memory figure")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    targets = pages()
    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gongkai"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=open(Path(tempfile.gettempdir()) / "gongkai-bench-scale-server.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", server, timeout=120)
        for _, path in targets:  # warm each worker's caches and the database's pages
            subprocess.run(["wrk", "-t1", "-c5", "-d2s", base + path], capture_output=True, check=False, timeout=60)
        rows: list[tuple[Row, Row]] = []
        script = HERE / "percentiles.lua"
        for name, path in targets:
            best: dict[str, Row] = {}
            for _ in range(args.rounds):
                for label, p in (("healthz", "/healthz"), (name, path)):
                    before = server_cpu_seconds(server.pid)
                    rps, p50, p95, p99, count, errors = wrk(base + p, args.seconds, args.connections, script)
                    cpu = (server_cpu_seconds(server.pid) - before) * 1e6 / max(count, 1)
                    row = Row(label, p, rps, p50, p95, p99, cpu, errors)
                    if label not in best or row.rps > best[label].rps:
                        best[label] = row
            rows.append((best["healthz"], best[name]))
            h, r = rows[-1]
            print(f"{name}: {r.rps:.0f}/s vs healthz {h.rps:.0f}/s ({r.rps / h.rps:.2f}×), "
                  f"p50 {r.p50:.1f} p95 {r.p95:.1f} p99 {r.p99:.1f} ms {r.errors}", flush=True)
        print()
        print("| page | req/s | healthz req/s (same run) | ratio | p50 ms | p95 ms | p99 ms | server CPU µs/req |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for h, r in rows:
            print(f"| {r.name} | {r.rps:.0f} | {h.rps:.0f} | {r.rps / h.rps:.2f} | {r.p50:.1f} | {r.p95:.1f} | "
                  f"{r.p99:.1f} | {r.cpu_us:.0f} |")
        if args.soak:
            env = dict(os.environ, PATHS="|".join(p for _, p in targets))
            samples: list[tuple[int, int]] = []
            proc = subprocess.Popen(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.soak}s", "--timeout", "5s",
                 "-s", str(HERE / "mixed.lua"), base + "/"],
                stdout=subprocess.PIPE, text=True, env=env,
            )
            started = time.monotonic()
            while proc.poll() is None:
                samples.append((int(time.monotonic() - started), rss_kib(server.pid)))
                time.sleep(min(30, max(1, args.soak // 20)))
            out = proc.communicate()[0]
            total = re.search(r"(\d+) requests in", out)
            print(f"\nmemory over {args.soak} s of mixed load ({total.group(1) if total else '?'} requests): "
                  "resident KiB of server + workers at t(s):")
            print(", ".join(f"{t}s {kib // 1024} MiB" for t, kib in samples))
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # gunicorn waits for its workers' slow requests; do not hang here
            server.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
