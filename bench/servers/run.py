"""Measure candidate production servers for `gongkai serve` on loopback.

Each candidate serves the same Django project (gongkai.wsgi) from a throwaway data directory; wrk loads
two addresses for a fixed time each, in rounds: /healthz (a constant-response view: the server plus Django's
middleware) and a static file served by WhiteNoise. It prints requests/s, p50/p99 latency and the server's
CPU time per request as a Markdown table to paste into docs/benchmarks.md.

    .venv/bin/python bench/servers/run.py                 # every candidate, 3 rounds of 10 s per address
    .venv/bin/python bench/servers/run.py --seconds 5 --connections 32 --only gunicorn-gthread

Needs wrk (Debian: `apt-get install wrk`). Traffic goes only to 127.0.0.1, and every run is bounded by
--seconds. The load generator shares the machine's cores with the server, as it would with nginx in
front, so compare the rows with each other rather than with figures from other machines.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1
STATIC_PATH = "/static/admin/css/base.css"


@dataclass(frozen=True)
class Candidate:
    name: str
    argv: tuple[str, ...]  # "{port}" is replaced by the port


def candidates() -> list[Candidate]:
    gunicorn = str(VENV_BIN / "gunicorn")
    waitress = str(VENV_BIN / "waitress-serve")
    common = ("--bind", "127.0.0.1:{port}", "--log-level", "warning")
    return [
        Candidate(
            f"gunicorn-sync-{2 * CORES + 1}w", (gunicorn, *common, "-w", str(2 * CORES + 1), "gongkai.wsgi")
        ),
        Candidate(f"gunicorn-sync-{CORES}w", (gunicorn, *common, "-w", str(CORES), "gongkai.wsgi")),
        Candidate(
            f"gunicorn-gthread-{CORES}w4t",
            (gunicorn, *common, "-k", "gthread", "-w", str(CORES), "--threads", "4", "gongkai.wsgi"),
        ),
        Candidate(
            f"gunicorn-gthread-{2 * CORES + 1}w2t",
            (gunicorn, *common, "-k", "gthread", "-w", str(2 * CORES + 1), "--threads", "2", "gongkai.wsgi"),
        ),
        Candidate(
            "waitress-4t", (waitress, "--listen=127.0.0.1:{port}", "--threads=4", "gongkai.wsgi:application")
        ),
        Candidate(
            "waitress-8t", (waitress, "--listen=127.0.0.1:{port}", "--threads=8", "gongkai.wsgi:application")
        ),
    ]


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: str
    requests: int
    cpu_us_per_request: float = 0.0

    def cells(self) -> str:
        return (
            f"{self.requests_per_second:.0f} | {self.p50_ms:.1f} | {self.p99_ms:.1f}"
            f" | {self.cpu_us_per_request:.0f}"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with code {process.returncode} before answering {url}; see its log"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {timeout:.0f} s")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> Result:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    count = re.search(r"(\d+) requests in", out)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", out, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", out, re.M)
    if not (rps and p50 and p99 and count):
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    errors = re.search(r"Socket errors:.*|Non-2xx or 3xx responses: \d+", out)
    return Result(
        float(rps.group(1)),
        _ms(*p50.groups()),
        _ms(*p99.groups()),
        errors.group(0) if errors else "",
        int(count.group(1)),
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(root: int) -> float:
    """User plus system CPU time of a process and all its descendants (gunicorn's workers), from /proc.

    CPU time per request is the figure that stays steady when other work shares the machine; requests/s and
    latency do not.
    """
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / CLOCK_TICKS


def load(url: str, seconds: int, args: argparse.Namespace, server: int) -> Result:
    before = server_cpu_seconds(server)
    result = run_wrk(url, seconds, args.connections, args.wrk_threads)
    used = server_cpu_seconds(server) - before
    return dataclasses.replace(result, cpu_us_per_request=used * 1e6 / max(result.requests, 1))


def prepare_data_dir(env: dict[str, str]) -> None:
    gongkai = str(VENV_BIN / "gongkai")
    subprocess.run([gongkai, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([gongkai, "collectstatic", "--noinput", "-v0"], env=env, check=True)


def summarise(results: list[Result]) -> str:
    rps = [r.requests_per_second for r in results]
    spread = f" ({min(rps):.0f}–{max(rps):.0f})" if len(rps) > 1 else ""
    return (
        f"{statistics.median(rps):.0f}{spread} | {statistics.median(r.p50_ms for r in results):.1f}"
        f" | {statistics.median(r.p99_ms for r in results):.1f}"
        f" | {statistics.median(r.cpu_us_per_request for r in results):.0f}"
    )


def measure(
    candidate: Candidate, env: dict[str, str], data_dir: Path, args: argparse.Namespace
) -> tuple[Result, Result]:
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in candidate.argv]
    # Server output goes to a file: waitress warns about its queue depth under load on purpose.
    log_path = data_dir / f"{candidate.name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/healthz", process)
            wait_until_up(base + STATIC_PATH, process)
            run_wrk(base + "/healthz", 2, args.connections, args.wrk_threads)  # warm every worker
            health = load(base + "/healthz", args.seconds, args, process.pid)
            static = load(base + STATIC_PATH, args.seconds, args, process.pid)
        except (RuntimeError, subprocess.SubprocessError):
            log.flush()
            sys.stderr.write(f"{candidate.name} failed; the end of its log:\n")
            sys.stderr.write(log_path.read_text(errors="replace")[-3000:])
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return health, static


def main() -> int:
    # A plain SIGTERM would skip the finally blocks and leave servers running; exit through them instead.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="load time per address (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1: leave a core)")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per candidate (default 3)")
    parser.add_argument("--only", action="append", default=[], help="run only candidates whose name has this")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 120:
        parser.error("--seconds must be between 1 and 120")
    if not 1 <= args.rounds <= 10:
        parser.error("--rounds must be between 1 and 10")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed: apt-get install wrk")

    chosen = [c for c in candidates() if not args.only or any(o in c.name for o in args.only)]
    if not chosen:
        parser.error("no candidate matches --only")

    with tempfile.TemporaryDirectory(prefix="gk-bench-") as data_dir:
        env = {
            **os.environ,
            "GONGKAI_DATA_DIR": data_dir,
            "GONGKAI_DEBUG": "0",
            "GONGKAI_LOG_LEVEL": "WARNING",
        }
        prepare_data_dir(env)
        # Rounds interleave the candidates, so that a slow minute of a shared machine hurts them all alike.
        runs: dict[str, list[tuple[Result, Result]]] = {c.name: [] for c in chosen}
        for round_number in range(1, args.rounds + 1):
            for candidate in chosen:
                health, static = measure(candidate, env, Path(data_dir), args)
                runs[candidate.name].append((health, static))
                sys.stderr.write(
                    f"round {round_number} {candidate.name}: {health.cells()} | {static.cells()}"
                    f" {health.errors} {static.errors}\n"
                )
        print(
            f"machine: {CORES} cores; wrk -t{args.wrk_threads} -c{args.connections} -d{args.seconds}s;"
            f" median of {args.rounds} round(s), req/s range in brackets"
        )
        print()
        print(
            "| server | /healthz req/s | p50 ms | p99 ms | CPU µs/req"
            " | static req/s | p50 ms | p99 ms | CPU µs/req |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, results in runs.items():
            cells = " | ".join(summarise([r[i] for r in results]) for i in (0, 1))
            errors = "; ".join(sorted({e for r in results for x in r if (e := x.errors)}))
            print(f"| {name} | {cells} |" + (f" {errors}" if errors else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
