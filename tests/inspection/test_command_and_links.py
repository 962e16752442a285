"""`gongkai inspect` exit statuses and formats; external links checked politely against a local server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.inspection import services
from gongkai.inspection.evaluate import Status, inspect
from gongkai.inspection.links import Answer, Politeness, ask, links_in
from gongkai.inspection.models import LinkCheck
from gongkai.orgs.models import Organisation
from tests.inspection.factories import AT, make_column, publish


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("inspect", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_bad_input_exits_2(org: Organisation) -> None:
    assert run("--org", "nope")[0] == 2
    code, _out, err = run("--org", org.code, "--at", "2025-13-01")
    assert code == 2 and "YYYY-MM-DD" in err
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    code, _out, err = run("--org", org.code, "--at", tomorrow)
    assert code == 2 and "将来" in err


def test_veto_exits_1_and_json_lists_what_is_behind(org: Organisation) -> None:
    publish(make_column(org, "gzdt", "工作动态"), AT - dt.timedelta(days=20))
    code, out, _err = run("--org", org.code, "--at", AT.isoformat(), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["passed"] is False
    home = next(i for i in data["indicators"] if i["key"] == "home_not_updated")
    assert home["status"] == "fail" and home["findings"][0]["date"] == (AT - dt.timedelta(days=20)).isoformat()
    publish(make_column(org, "x", "其他"), AT)
    code, out, _err = run("--org", org.code, "--at", AT.isoformat())
    assert code == 0 and "[通过] 首页不更新" in out


class _Handler(BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []

    def _answer(self) -> None:
        _Handler.hits.append((self.command, self.path))
        status = {"/ok": 200, "/gone": 404}.get(self.path, 200)
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_links_in_bodies() -> None:
    assert links_in('<p><a href="/a">x</a><img src="/b.png"><a href="/a">again</a><a>no</a></p>') == ["/a", "/b.png"]


def test_ask_head_then_get_and_timeouts(server: str) -> None:
    assert ask(f"{server}/ok") == Answer(200, True)
    assert ask(f"{server}/gone").status == 404
    assert ask(f"{server}/no-head").ok and ("GET", "/no-head") in _Handler.hits
    closed = ask("http://127.0.0.1:9/", timeout=1)  # nothing listens on the discard port: refused, not hung
    assert not closed.ok and closed.status is None


def test_dead_links_internal_and_external_with_cache_cap_and_politeness(org: Organisation, server: str) -> None:
    col = make_column(org, "tzgg", "通知公告")
    live = publish(col, AT, "目标")
    body = (f'<a href="{live.get_absolute_url()}">ok</a><a href="/items/999999/">dead</a>'
            f'<a href="{server}/ok">ext ok</a><a href="{server}/gone">ext dead</a><a href="mailto:a@b.c">m</a>')
    publish(col, AT, "含链接的通知", body=body)
    assert {f.detail for f in inspect(org, AT).results[7].findings} == {"站内链接无法访问：/items/999999/"}

    waits: list[float] = []
    polite = Politeness(delay=1.0, clock=lambda: 0.0, sleep=waits.append)
    run1 = services.check_organisation_links(org, AT, politeness=polite, cap=1)
    assert (run1.checked, run1.skipped) == (1, 1)
    run2 = services.check_organisation_links(org, AT, politeness=polite)
    assert (run2.checked, run2.cached) == (1, 1) and waits == [1.0]  # same host: waited its turn
    hits = len(_Handler.hits)
    run3 = services.check_organisation_links(org, AT, politeness=polite)
    assert (run3.checked, run3.cached) == (0, 2) and len(_Handler.hits) == hits  # cached: nobody asked again
    result = inspect(org, AT).results[7]
    assert result.status == Status.DEDUCT and len(result.findings) == 2
    assert LinkCheck.objects.get(url=f"{server}/gone").status == 404


def test_probes_only_loopback_or_the_site(settings: Any) -> None:
    settings.SITE_URL = "https://gk.example.gov.cn"
    assert services.probe_base_allowed("http://127.0.0.1:8000")
    assert services.probe_base_allowed("http://[::1]:8000/")
    assert services.probe_base_allowed("https://gk.example.gov.cn")
    assert not services.probe_base_allowed("https://www.gov.cn")
    with pytest.raises(ValueError):
        services.probe_round("http://10.0.0.1/")


def test_probe_round_stores_each_answer(org: Organisation, live_server: Any) -> None:
    probes = services.probe_round(live_server.url, timeout=300)
    assert [p.organisation for p in probes] == [None, org]
    assert all(p.status == 200 and p.duration >= 0 for p in probes)
    assert inspect(org, timezone.localdate()).results[0].status == Status.PASS


def test_digest_goes_to_administrators(org: Organisation, make_user: Any, mailoutbox: list[Any],
                                       django_capture_on_commit_callbacks: Any) -> None:
    from gongkai.orgs.models import Membership, Role

    admin = make_user("boss", email="boss@example.org")
    Membership.objects.create(user=admin, organisation=org, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_digests(AT)
    assert [s.organisation for s in sent] == [org]
    assert mailoutbox[0].to == ["boss@example.org"] and "首页不更新" in mailoutbox[0].body
