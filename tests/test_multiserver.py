"""Two app servers on one PostgreSQL database: what one publishes, both show at once (issue 5, "Beyond one
machine").

Both servers are real `gongkai serve` processes with data directories of their own (nothing local is shared;
only the database and SECRET_KEY are, as in docs/operator-guide.md "Several app servers"). Before publishing,
both have served the pages once, so any cache that outlives a write on another server would show here as a
stale page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from gongkai.catalog import services
from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review import services as review
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, review_state

GONGKAI = Path(sys.executable).with_name("gongkai")
START_TIMEOUT = 900.0  # a guard against a hang: on a busy machine collectstatic alone can take minutes
TITLE = "关于开展2025年度多服务器发布测试工作的通知"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two app servers need a database server both can reach; SQLite is one machine's file "
    "(scripts/test runs this on PostgreSQL)",
)


def _test_database_url() -> str:
    """The URL of the test database pytest-django created (test_…), for the child processes."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'], safe='')}"


def _start(data_dir: Path, database_url: str) -> tuple[subprocess.Popen[str], str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_REPLICA_URL": "",
        "GONGKAI_DATA_DIR": str(data_dir),
        # Shared by every app server: sessions and signed values made by one must verify on the others.
        "GONGKAI_SECRET_KEY": "multiserver-test-secret-key-shared-by-both-servers",
    }
    process = subprocess.Popen(
        [str(GONGKAI), "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, so the workers die with it in any case
    )
    return process, ""


def _wait_ready(process: subprocess.Popen[str], deadline: float) -> str:
    assert process.stdout is not None
    output = ""
    while (match := re.search(r"serving (http://127\.0\.0\.1:\d+/)", output)) is None:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        line = process.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"gongkai serve did not start within {START_TIMEOUT:.0f} s:\n{output}")
        output += line
    return match.group(1).rstrip("/")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture
def two_servers(transactional_db: None, tmp_path: Path) -> Iterator[list[str]]:
    """Base URLs of two `gongkai serve` processes on the test database (committed data: transactional_db)."""
    database_url = _test_database_url()
    processes: list[subprocess.Popen[str]] = []
    try:
        urls = []
        for name in ("a", "b"):
            if name == "b":
                # B gets a copy of A's collected static files: the same result as collecting them again, without
                # a second compression pass (the slow part of a first start, over 30 s on a busy machine).
                shutil.copytree(tmp_path / "a" / "static", tmp_path / name / "static")
            processes.append(_start(tmp_path / name, database_url)[0])
            urls.append(_wait_ready(processes[-1], time.monotonic() + START_TIMEOUT))
        yield urls
    finally:
        for process in processes:
            _stop(process)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _publish(org: Organisation, column: Column) -> Item:
    """Create, submit and approve an item through the real services (three review steps)."""
    staff = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=f"ms-{role}", password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=org, role=role)
        staff[role] = user
    data = {
        "column_id": column.pk, "title": TITLE, "summary": "", "body": "<p>各有关单位：</p>",
        "document_number": "银科发〔2025〕9号", "written_on": dt.date(2025, 3, 1), "topic": "11", "genre": "notice",
        "keywords": "", "source": "", "is_policy": False, "is_normative": False, "validity": "",
        "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
        "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "", "index_number": "",
    }
    item = services.create_item(staff["editor"], org, data)
    services.submit_item(staff["editor"], item)
    submission = review_state(item).submission
    checks = {f: True for f in Decision.CHECK_FIELDS}
    for role in ("first_reviewer", "secrecy_reviewer", "approver"):
        review.decide(staff[role], current_task(submission), action="approve", checks=checks)
    item.refresh_from_db()
    return item


def test_published_on_one_server_is_seen_at_once_on_both(two_servers: list[str], settings: Any) -> None:
    settings.MEDIA_ROOT = Path(settings.DATA_DIR) / "multiserver-media"
    org = Organisation.objects.create(name="银川市科学技术局", code="yckjj", index_code="11640100MB1234567X")
    column = Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    pages = ["/", column.get_absolute_url(), f"/org/{org.code}/"]

    # Both servers render every page once before the write: whatever they cache, they cache now.
    for base in two_servers:
        for page in pages:
            status, body = _get(base + page)
            assert status == 200, (base, page, status)
            assert TITLE not in body

    started = time.monotonic()
    item = _publish(org, column)
    for base in two_servers:
        status, body = _get(base + item.get_absolute_url())
        assert status == 200 and TITLE in body, (base, status)
        for page in pages:
            status, body = _get(base + page)
            assert status == 200 and TITLE in body, f"{base}{page} does not show the new item (stale?)"
    # Not a benchmark; printed so that a slow CI machine's figure is in the log (pytest -s / -rA).
    print(f"published and seen on both servers' {len(pages) + 1} pages in {time.monotonic() - started:.2f} s")
