"""Clicks, page loads and logins to publish one item through the three review steps, counted by driving a browser.

    .venv/bin/python bench/review/clicks.py --base http://127.0.0.1:8107 [--screenshots DIR]

Needs a running server on the demo city (`gongkai demo`, accounts editor, reviewer, secrecy, approver of mckjj, every
password gongkai-demo-2024) and Debian's chromium. The script does what a person would, by the shortest way the
pages offer: the editor drafts an item (column, title, body) and submits it; then each reviewer logs in, opens the
task from the first page they land on, and approves it. Where the task page offers one control that records all
five checks as passed, it is used; otherwise the five boxes are ticked one by one. Nothing is clicked twice.

Counted: clicks (every click and tick; choosing from a list counts two), fields typed into, page loads (each
navigation of the main frame: following a link is one, a form post with the redirect after it is one) and logins.
Printed as a Markdown table, per person and in total; the steps each person took go to stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

PASSWORD = "gongkai-demo-2024"  # noqa: S105 — the demo city's published password
REVIEWERS = ["reviewer", "secrecy", "approver"]
CHECKS = ["政治关", "政策关", "保密关", "格式关", "文字关"]
ONE_CONTROL = re.compile("五关(均已|全部)通过")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]


@dataclass
class Tally:
    who: str
    clicks: int = 0
    typed: int = 0
    loads: int = 0
    logins: int = 0
    steps: list[str] = field(default_factory=list)


class Counter:
    """Wraps the few page actions the scenario uses and counts them against the current person."""

    def __init__(self, page: Any, shots: Path | None) -> None:
        self.page = page
        self.shots = shots
        self.tallies: list[Tally] = []
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame and self.tallies:
            self.tallies[-1].loads += 1

    def person(self, who: str) -> Tally:
        self.tallies.append(Tally(who))
        return self.tallies[-1]

    @property
    def now(self) -> Tally:
        return self.tallies[-1]

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def click(self, locator: Any, what: str) -> None:
        locator.click()
        self.now.clicks += 1
        self.now.steps.append(what)

    def check(self, locator: Any, what: str) -> None:
        locator.check()
        self.now.clicks += 1
        self.now.steps.append(what)

    def select(self, locator: Any, label: str) -> None:
        locator.select_option(label=label)
        self.now.clicks += 2  # open the list, pick the entry
        self.now.steps.append(f"选择 {label}")

    def fill(self, locator: Any, text: str) -> None:
        locator.fill(text)
        self.now.typed += 1

    def shot(self, name: str) -> None:
        if self.shots is not None:
            self.page.screenshot(path=str(self.shots / f"{len(self.tallies):02d}-{name}.png"), full_page=True)


def log_in(c: Counter, base: str, username: str) -> None:
    c.page.context.clear_cookies()
    c.goto(base + "/workspace/")  # the address a person has bookmarked; it sends them to the login page
    c.fill(c.page.get_by_label("用户名"), username)
    c.fill(c.page.get_by_label("密码"), PASSWORD)
    c.click(c.page.get_by_role("button", name="登录"), "登录")
    c.page.wait_for_load_state()
    c.now.logins += 1


def draft_and_submit(c: Counter, base: str, title: str) -> None:
    c.person("editor（信息员）")
    log_in(c, base, "editor")
    c.click(c.page.get_by_role("link", name="新建信息").first, "新建信息")
    c.select(c.page.get_by_label("栏目"), "通知公告")
    c.fill(c.page.get_by_label("标题"), title)
    body = c.page.get_by_label("正文")
    c.fill(body, "<p>各有关单位：现将有关事项通知如下，请按时报送材料。</p>")
    c.click(c.page.get_by_role("button", name="保存草稿"), "保存草稿")
    c.page.get_by_text("草稿已保存").wait_for()
    c.click(c.page.get_by_role("button", name="送审", exact=True), "送审")
    c.page.get_by_text("已送审").wait_for()
    c.shot("submitted")


def review(c: Counter, base: str, username: str, title: str) -> None:
    c.person(username)
    log_in(c, base, username)
    c.click(c.page.get_by_role("link", name=title).first, "打开审核任务")
    c.page.wait_for_load_state()
    c.shot(f"{username}-task")
    one = c.page.get_by_role("button", name=ONE_CONTROL)
    if one.count():
        c.click(one.first, one.first.inner_text().strip())
    else:
        for check in CHECKS:
            c.check(c.page.get_by_label(check), check)
        c.check(c.page.get_by_label("通过", exact=True), "通过")
        c.click(c.page.get_by_role("button", name="提交审核意见"), "提交审核意见")
    c.page.get_by_text(re.compile("已通过")).first.wait_for()
    c.shot(f"{username}-done")


def table(tallies: list[Tally]) -> str:
    rows = ["| who | clicks | fields typed | page loads | logins |", "|---|---:|---:|---:|---:|"]
    for t in tallies:
        rows.append(f"| {t.who} | {t.clicks} | {t.typed} | {t.loads} | {t.logins} |")
    rows.append(
        f"| **total** | **{sum(t.clicks for t in tallies)}** | **{sum(t.typed for t in tallies)}** | "
        f"**{sum(t.loads for t in tallies)}** | **{sum(t.logins for t in tallies)}** |"
    )
    reviewers = [t for t in tallies if t.who in REVIEWERS]
    rows.append(
        f"| reviewers only | {sum(t.clicks for t in reviewers)} | {sum(t.typed for t in reviewers)} | "
        f"{sum(t.loads for t in reviewers)} | {sum(t.logins for t in reviewers)} |"
    )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    title = f"关于报送材料的通知（计数 {time.strftime('%H%M%S')}）"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        c = Counter(page, args.screenshots)
        draft_and_submit(c, args.base.rstrip("/"), title)
        for username in REVIEWERS:
            review(c, args.base.rstrip("/"), username, title)
        browser.close()
    print(table(c.tallies))
    for t in c.tallies:
        print(f"- {t.who}: " + "，".join(t.steps), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
