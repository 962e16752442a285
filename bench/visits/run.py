"""The cost of counting visits on a cached page: the same page served with counting on and off, in one run.

    GONGKAI_DATA_DIR=/tmp/gk-demo .venv/bin/python bench/visits/run.py [--path /] [--seconds 10] [--rounds 5]

Needs a populated data directory (`gongkai demo` or `gongkai seed-scale`) and wrk (Debian package `wrk`). Two
`gongkai serve` processes run side by side on the same database, one with GONGKAI_VISITS=0; wrk (one thread, so
the servers keep a core) loads the page on each in turn, alternating which goes first in each round, every
request from one of 500 browser user agents, so every request is a counted page view from one of 500 visitors.
The table gives the median over the rounds of requests/s, latency and the server's CPU time per request, and
the page-cache hit share (it must be ~100 %: this measures counting on a cached page). Afterwards it checks that
the counting server did count: the views it wrote for today grew by the requests it answered.

`--inprocess` times only the middleware's own work per request (no HTTP, no server), with counting on and off.
Traffic goes only to 127.0.0.1; every load is bounded by --seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "servers"))
from run import free_port, server_cpu_seconds, wait_until_up  # noqa: E402

VENV_BIN = Path(sys.executable).parent
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def start(counting: bool, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, GONGKAI_VISITS="1" if counting else "0", GONGKAI_VISITS_FLUSH_SECONDS="10")
    log = open(Path(tempfile.gettempdir()) / f"gongkai-bench-visits-{int(counting)}.log", "w")  # noqa: SIM115
    server = subprocess.Popen([str(VENV_BIN / "gongkai"), "serve", "--port", str(port), "--workers", str(workers)],
                              stdout=subprocess.DEVNULL, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/healthz", server, timeout=120)
    return server, base


def load(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(HERE / "visitors.lua"), url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    ).stdout
    found = {k: int(v) for k, v in re.findall(r"^(P50|P95|P99|HITS|MISSES) (\d+)$", out, re.M)}
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "p50": found["P50"] / 1000, "p99": found["P99"] / 1000, "hits": found["HITS"], "misses": found["MISSES"],
        "errors": 1.0 if re.search(r"Socket errors|Non-2xx", out) else 0.0,
    }


def views_today() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.db import connections
    from django.utils import timezone

    from gongkai.visits.models import DailyVisits

    connections.close_all()
    return sum(DailyVisits.objects.filter(day=timezone.localdate(), scope="site").values_list("views", flat=True))


def over_http(args: argparse.Namespace) -> int:
    servers = {label: start(label == "on", args.workers) for label in ("off", "on")}
    runs: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
    try:
        for _server, base in servers.values():  # warm imports, templates and the page cache of every worker
            subprocess.run(["wrk", "-t1", "-c8", "-d2s", "-H", f"User-Agent: {AGENT}", base + args.path],
                           capture_output=True, check=False, timeout=60)
        time.sleep(12)  # the warm-up's views are flushed before the count starts
        before = views_today()
        for n in range(args.rounds):
            for label in (("off", "on") if n % 2 == 0 else ("on", "off")):
                server, base = servers[label]
                cpu = server_cpu_seconds(server.pid)
                result = load(base + args.path, args.seconds, args.connections)
                result["cpu_us"] = (server_cpu_seconds(server.pid) - cpu) * 1e6 / max(result["requests"], 1)
                runs[label].append(result)
                print(f"round {n + 1} counting {label}: {result['rps']:.0f}/s p50 {result['p50']:.2f} ms "
                      f"p99 {result['p99']:.2f} ms, CPU {result['cpu_us']:.0f} µs/req, "
                      f"cache hits {result['hits']:.0f}/{result['hits'] + result['misses']:.0f}", flush=True)
        time.sleep(12)  # the counting server flushes every 10 s (the default)
        counted = views_today() - before
    finally:
        for server, _base in servers.values():
            server.terminate()
            server.wait(timeout=60)
    answered = sum(int(r["requests"]) for r in runs["on"])

    def median(label: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[label])

    print()
    print(f"Page {args.path}, {args.rounds} rounds of {args.seconds} s, {args.connections} connections, "
          f"{args.workers} workers per server.")
    print("| counting | req/s | p50 ms | p99 ms | server CPU µs/req | page-cache hits |")
    print("|---|---:|---:|---:|---:|---:|")
    for label in ("off", "on"):
        hits = sum(r["hits"] for r in runs[label]) / max(sum(r["hits"] + r["misses"] for r in runs[label]), 1)
        print(f"| {label} | {median(label, 'rps'):.0f} | {median(label, 'p50'):.2f} | {median(label, 'p99'):.2f} | "
              f"{median(label, 'cpu_us'):.0f} | {100 * hits:.1f}% |")
    print(f"\nratio on/off: req/s {median('on', 'rps') / median('off', 'rps'):.3f}, "
          f"CPU/req {median('on', 'cpu_us') / median('off', 'cpu_us'):.3f}; "
          f"views counted {counted} of {answered} answered by the counting server")
    return 0 if counted >= answered * 0.99 else 1


def in_process(args: argparse.Namespace) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ["GONGKAI_VISITS_FLUSH_SECONDS"] = "0"
    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings

    from gongkai.visits.attribution import Target, remember
    from gongkai.visits.buffer import BUFFER
    from gongkai.visits.middleware import VisitCountingMiddleware

    factory = RequestFactory()
    page = HttpResponse(b"<html></html>", content_type="text/html; charset=utf-8")
    requests = []
    for n in range(args.number):
        request = factory.get("/items/1/", HTTP_USER_AGENT=AGENT.replace("131.0.0.0", f"131.0.{n % 500}.0"),
                              REMOTE_ADDR=f"10.0.{n % 200}.{n % 250}")
        remember(request, Target("item", 1, 2, 3))
        requests.append(request)
    BUFFER.know_salts({__import__("django.utils.timezone").utils.timezone.localdate(): "0" * 64})
    results = {}
    for label, enabled in (("off", False), ("on", True)):
        with override_settings(VISITS_ENABLED=enabled):
            middleware = VisitCountingMiddleware(lambda request: page)
        times = timeit.repeat(lambda m=middleware: [m(r) for r in requests], number=1, repeat=5)
        results[label] = min(times) / len(requests) * 1e6
        BUFFER.take()
    print(f"middleware per request, {args.number} requests, best of 5: off {results['off']:.2f} µs, "
          f"on {results['on']:.2f} µs, counting costs {results['on'] - results['off']:.2f} µs")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default="/")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--inprocess", action="store_true")
    parser.add_argument("--number", type=int, default=20000, help="requests timed by --inprocess")
    args = parser.parse_args()
    return in_process(args) if args.inprocess else over_http(args)


if __name__ == "__main__":
    raise SystemExit(main())
