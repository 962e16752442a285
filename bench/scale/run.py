"""Measure the portal at scale, served by `gongkai serve`, each page beside /healthz in the same run.

    GONGKAI_DATA_DIR=/tmp/gk-scale-sqlite .venv/bin/python bench/scale/run.py
    DATABASE_URL=postgres://... GONGKAI_DATA_DIR=/tmp/gk-scale-pg .venv/bin/python bench/scale/run.py
    ... --soak 600      # also a 10-minute mixed load, sampling the server's resident memory
    ... --spread --per-kind 10000 --soak 600 --seconds 0   # memory under 10 minutes of distinct addresses

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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "servers"))
from run import free_port, server_cpu_seconds, wait_until_up  # noqa: E402

sys.path.insert(0, str(HERE))
from addresses import hot_pages, spread_pages  # noqa: E402

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


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [str(VENV_BIN / "gongkai"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=open(Path(tempfile.gettempdir()) / "gongkai-bench-scale-server.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/healthz", server, timeout=120)
    return server, base


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:  # gunicorn waits for its workers' slow requests; do not hang here
        server.kill()


def spread(args: argparse.Namespace) -> int:
    """Each page kind for --seconds, wrk cycling through its distinct addresses (spread.lua), beside /healthz.

    The page cache stays on, as in production: a request hits only if the same worker served the same address
    earlier in the run. spread.lua counts the X-Page-Cache answers, so the table shows the hit share measured.
    """
    kinds = spread_pages(per_kind=args.per_kind)
    server, base = start_server()
    rows: list[tuple[Row, Row, int, int, int]] = []
    try:
        for _, paths in kinds:  # warm each worker's imports and templates on one address of each kind
            subprocess.run(["wrk", "-t1", "-c5", "-d1s", base + paths[-1]], capture_output=True, check=False, timeout=60)
        with tempfile.TemporaryDirectory() as tmp:
            if args.soak:
                soak_distinct(args, kinds, server, base, Path(tmp))
            for name, paths in kinds if args.seconds > 0 else []:
                listing = Path(tmp) / "paths.txt"
                listing.write_text("\n".join(paths[:-1]) + "\n")  # the warm-up address is left out
                before = server_cpu_seconds(server.pid)
                h = Row("healthz", "/healthz", *_measure(base + "/healthz", args, HERE / "percentiles.lua", None, server, before))
                env = dict(os.environ, PATHS_FILE=str(listing))
                before = server_cpu_seconds(server.pid)
                out = _wrk_raw(base + "/", args, HERE / "spread.lua", env)
                count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
                cpu = (server_cpu_seconds(server.pid) - before) * 1e6 / max(count, 1)
                rps, p50, p95, p99, errors = _parse(out)
                hits, misses = (int(re.search(rf"^{k} (\d+)$", out, re.M).group(1)) for k in ("HITS", "MISSES"))  # type: ignore[union-attr]
                r = Row(name, "", rps, p50, p95, p99, cpu, errors)
                rows.append((h, r, hits, misses, len(paths) - 1))
                print(f"{name}: {r.rps:.0f}/s vs healthz {h.rps:.0f}/s ({r.rps / h.rps:.2f}×), p50 {r.p50:.1f} "
                      f"p95 {r.p95:.1f} p99 {r.p99:.1f} ms, cache hits {hits}/{hits + misses} {r.errors}", flush=True)
    finally:
        stop_server(server)
    print()
    print("| page | distinct addresses | requests | page-cache hits | req/s | healthz req/s (same run) | ratio | "
          "p50 ms | p95 ms | p99 ms | server CPU µs/req |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for h, r, hits, misses, distinct in rows:
        total = hits + misses
        print(f"| {r.name.split(' (')[0]} | {distinct} | {total} | {100 * hits / max(total, 1):.0f}% | {r.rps:.0f} | "
              f"{h.rps:.0f} | {r.rps / h.rps:.2f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.cpu_us:.0f} |")
    return 0


def soak_distinct(args: argparse.Namespace, kinds: list[tuple[str, list[str]]], server: subprocess.Popen[bytes],
                  base: str, tmp: Path) -> None:
    """--spread --soak: every distinct address of every kind, shuffled together, for --soak seconds (each
    address comes back only after all the others, so most requests miss the page cache and every worker's
    caches fill to their bounds), sampling the resident memory of the server and its workers every 30 s."""
    import random

    paths = [p for _, ps in kinds for p in ps]
    random.Random(11).shuffle(paths)
    listing = tmp / "soak.txt"
    listing.write_text("\n".join(paths) + "\n")
    env = dict(os.environ, PATHS_FILE=str(listing))
    proc = subprocess.Popen(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.soak}s", "--timeout", "10s", "-s", str(HERE / "spread.lua"),
         base + "/"], stdout=subprocess.PIPE, text=True, env=env,
    )
    started = time.monotonic()
    samples: list[tuple[int, int, float]] = []
    while proc.poll() is None:
        samples.append((int(time.monotonic() - started), rss_kib(server.pid), os.getloadavg()[0]))
        time.sleep(30)
    samples.append((int(time.monotonic() - started), rss_kib(server.pid), os.getloadavg()[0]))
    out = proc.communicate()[0]
    count = re.search(r"(\d+) requests in", out)
    hits, misses = (int(m.group(1)) if (m := re.search(rf"^{k} (\d+)$", out, re.M)) else 0 for k in ("HITS", "MISSES"))
    print(f"memory over {args.soak} s of {len(paths):,} distinct addresses ({count.group(1) if count else '?'} "
          f"requests, page-cache hits {hits}/{hits + misses}): resident MiB of server + workers (load average)")
    print(", ".join(f"{t}s {kib / 1024:.0f} ({load:.1f})" for t, kib, load in samples), flush=True)


def _wrk_raw(url: str, args: argparse.Namespace, script: Path, env: dict[str, str] | None) -> str:
    return subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True, text=True, check=True, timeout=args.seconds + 60, env=env,
    ).stdout


def _parse(out: str) -> tuple[float, float, float, float, str]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p = {k: int(v) / 1000 for k, v in re.findall(r"^(P\d\d) (\d+)$", out, re.M)}
    errors = re.search(r"Socket errors:.*|Non-2xx or 3xx responses: \d+", out)
    return rps, p["P50"], p["P95"], p["P99"], errors.group(0) if errors else ""


def _measure(url: str, args: argparse.Namespace, script: Path, env: dict[str, str] | None,
             server: subprocess.Popen[bytes], before: float) -> tuple[float, float, float, float, float, str]:
    out = _wrk_raw(url, args, script, env)
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    cpu = (server_cpu_seconds(server.pid) - before) * 1e6 / max(count, 1)
    rps, p50, p95, p99, errors = _parse(out)
    return rps, p50, p95, p99, cpu, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--soak", type=int, default=0, help="seconds of mixed load for the memory figure")
    parser.add_argument("--spread", action="store_true",
                        help="cycle through many distinct addresses per page kind (page-cache misses); with --soak, "
                             "all of them mixed for the memory figure first (--seconds 0: only that)")
    parser.add_argument("--per-kind", type=int, default=2000, help="--spread: distinct addresses per page kind")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if args.spread:
        return spread(args)
    targets = hot_pages()
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
