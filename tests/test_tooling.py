"""The operator-facing commands (`gongkai serve`, `gongkai worker`), /healthz and the developer scripts."""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from gongkai.core.management.commands.serve import display_url, open_listener, trust_forwarded_address

REPO = Path(__file__).resolve().parents[1]
GONGKAI = Path(sys.executable).with_name("gongkai")


def test_healthz_answers_without_the_database(client: Client) -> None:
    # No `db` fixture: pytest-django raises on any database access, so passing proves there was none.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def _echo_remote_addr(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [])
    return [environ["REMOTE_ADDR"].encode()]


def _call(app: Any, **environ: str) -> str:
    return b"".join(app(environ, lambda *a: None)).decode()


def test_forwarded_address_is_taken_only_from_trusted_proxies() -> None:
    app = trust_forwarded_address(_echo_remote_addr, ["127.0.0.1", "::1"])
    # Through our proxy: the rightmost entry is what the proxy saw; the left one is the client's own claim.
    assert _call(app, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9") == "203.0.113.9"
    assert _call(app, REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="2001:db8::7") == "2001:db8::7"
    # Straight from the internet: the header is a lie we ignore.
    assert _call(app, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.0.0.1") == "198.51.100.4"
    # Garbage is ignored rather than stored in the audit trail.
    assert _call(app, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>") == "127.0.0.1"
    assert _call(app, REMOTE_ADDR="127.0.0.1") == "127.0.0.1"


def test_listener_reports_bad_addresses_plainly() -> None:
    with pytest.raises(CommandError, match="cannot listen on host"):
        open_listener("no-such-host.invalid", 0)
    taken = open_listener("127.0.0.1", 0)
    try:
        with pytest.raises(CommandError, match=r"cannot listen on 127\.0\.0\.1 port"):
            open_listener("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()


def test_display_url_brackets_ipv6() -> None:
    v4 = open_listener("127.0.0.1", 0)
    v6 = open_listener("::1", 0)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", display_url(v4))
        assert re.fullmatch(r"http://\[::1\]:\d+/", display_url(v6))
    finally:
        v4.close()
        v6.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "70000"],
        ["--port", "http"],
        ["--workers", "0"],
        ["--threads", "0"],
        ["--trusted-proxy", "nginx"],
    ],
)
def test_serve_rejects_bad_options(argv: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("serve", *argv)


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=300) as response:
        return response.status, response.read()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    """`gongkai serve --host :: --port 0` in a fresh data directory; yields the port it printed."""
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    process = subprocess.Popen(
        [str(GONGKAI), "serve", "--host", "::", "--port", "0", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = ""
    # Only a guard against a hang: on a machine busy with other work, collecting static files alone can take minutes.
    deadline = time.monotonic() + 900
    try:
        while (match := re.search(r"serving http://\[::\]:(\d+)/", output)) is None:
            ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            line = process.stdout.readline() if ready else ""
            if not line:
                pytest.fail(f"gongkai serve did not start:\n{output}")
            output += line
        yield int(match.group(1))
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_serve_is_dual_stack_and_serves_static_files(served: int) -> None:
    port = served
    assert _get(f"http://127.0.0.1:{port}/healthz") == (200, b"ok\n")
    assert _get(f"http://[::1]:{port}/healthz") == (200, b"ok\n")
    # collectstatic ran on its own (the data directory was empty), and WhiteNoise serves the result.
    status, body = _get(f"http://127.0.0.1:{port}/static/admin/css/base.css")
    assert status == 200 and body


def test_worker_is_db_worker_under_our_name() -> None:
    from django_tasks_db.management.commands.db_worker import Command as DbWorker

    from gongkai.core.management.commands.worker import Command as Worker

    assert issubclass(Worker, DbWorker)
    assert "background task worker" in Worker.help


@pytest.mark.django_db(transaction=True)
def test_worker_batch_mode_exits_when_the_queue_is_empty(database_tasks: None) -> None:
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\s.*?```\w*\n(.*?)```", readme, re.S)
    assert block, "README.md has no Quick start code block"
    commands = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    assert "./scripts/test" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize(
    "script", ["scripts/bootstrap", "scripts/demo", "scripts/test", "scripts/lock", "scripts/wheelhouse", ".ci/run"]
)
def test_scripts_are_executable_bash(script: str) -> None:
    path = REPO / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)
