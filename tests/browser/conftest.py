"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Use the `page` fixture (its base URL is the live server, so `page.goto("/admin/login/")` works) and the
`screenshot` fixture to keep pictures in test-artifacts/. A failing test leaves a screenshot there too.
Without /usr/bin/chromium the tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls as "async";
# the loop never runs our code concurrently, so the guard is safely turned off for browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the networking flags chromium keeps trying to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The demo's and the tests' sites by host name (www.mc.localhost, kjj.mc.localhost) on the loopback address.
    "--host-resolver-rules=MAP *.mc.localhost 127.0.0.1",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    # Remembered on the item so that the `page` fixture knows, when tearing down, whether the test failed.
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (Debian package chromium; scripts/bootstrap installs it as root)"
        if _in_ci():
            pytest.fail(f"browser tests cannot run under CI: {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "_report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"FAILED-{_safe_name(request.node.nodeid)}.png"), full_page=True
            )
        context.close()


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """`screenshot("after-login")` saves test-artifacts/<test name>-after-login.png and returns its path."""

    def take(label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{_safe_name(request.node.name)}-{_safe_name(label)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def fill_rich_text() -> Callable[[Any, str, str], None]:
    """`fill_rich_text(page, "#id_body", "<p>…</p>")`: what a person types or pastes into the rich-text editor
    that took over that textarea (core/static/core/richtext.js)."""

    def fill(page: Any, selector: str, html: str) -> None:
        page.wait_for_function("s => !!document.querySelector(s)?.richtextEditor", arg=selector)
        page.evaluate("([s, html]) => document.querySelector(s).richtextEditor.setData(html)", [selector, html])

    return fill
