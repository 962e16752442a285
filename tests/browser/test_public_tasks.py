"""Every public task done as a person on a phone with a keyboard would: 390 × 844, Tab, typing, Enter and Space
only (no clicks), on the demo city. Each page on the way is checked for the phone layout (nothing wider than the
screen, the menu folded until opened, controls at least 44 px tall) and photographed into test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from gongkai.core.cnnum import parse_chinese_integer
from gongkai.core.personal_data import resident_id_check_char
from gongkai.interaction import challenge
from gongkai.interaction import selectors as ix
from tests.browser.phone_layout import PHONE, check_layout

# The pages' HTML is the same on either database; the catalog's and forms' queries are tested on both elsewhere
# (tests/portal). Building the demo city twice more would add minutes to CI's PostgreSQL phase for nothing.
pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="page sweeps run in the SQLite phase")]

@pytest.fixture
def demo_city(transactional_db: None, demo_snapshot: Any, settings: Any) -> Iterator[None]:
    settings.GONGKAI_FORM_MIN_SECONDS = 0
    demo_snapshot.load()
    yield


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(90_000)  # a guard against a hang on a busy machine, not a speed check
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def tab_to(page: Any, selector: str, text: str = "", limit: int = 150) -> None:
    """Press Tab until the focused element matches `selector` (and shows `text`), as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("([s, t]) => { const e = document.activeElement;"
                         " return !!e && e.matches(s) && e.textContent.includes(t); }", [selector, text]):
            return
    raise AssertionError(f"{selector} {text} cannot be reached with the Tab key")


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def answer_challenge(page: Any) -> None:
    """Answer the arithmetic question in Chinese numerals, as the question is written."""
    question = page.locator("label[for=id_challenge_answer]").inner_text()
    left, op, right = re.match(r"(.+?)(加|减)(.+?)等于几", question).groups()  # type: ignore[union-attr]
    a, b = parse_chinese_integer(left), parse_chinese_integer(right)
    type_into(page, "#id_challenge_answer", challenge._numeral(a + b if op == "加" else a - b))


def submit(page: Any, name: str) -> None:
    tab_to(page, "button[type=submit]", name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_public_tasks_by_keyboard_on_a_phone(phone: Any, demo_city: None) -> None:
    page = phone
    # Search: open the menu, search, open a result.
    page.goto("/")
    check_layout(page, "home")
    tab_to(page, ".nav-toggle")
    page.keyboard.press("Enter")
    check_layout(page, "menu-open", menu_open=True)
    type_into(page, "#site-search", "科技")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_layout(page, "search")
    assert page.locator(".search-hit").count() > 0
    tab_to(page, ".hit-title a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_layout(page, "item")
    assert page.locator(".article-title").is_visible()

    # Browse the catalog: page 2 by its number, then a filter chosen with the arrow keys.
    page.goto("/catalog/")
    check_layout(page, "catalog")
    assert re.search(r"共 [\d,]+ 条信息", page.locator("#result-count").inner_text())
    tab_to(page, ".pager a", "2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "page=2" in page.url and "第 2 页" in page.locator("#result-count").inner_text()
    check_layout(page, "catalog-page-2")
    tab_to(page, "#f-genre")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#f-genre").input_value()
    assert chosen
    submit(page, "查询")
    assert f"genre={chosen}" in page.url and "page=" not in page.url

    # Apply for information, then follow it with the number and secret.
    page.goto("/apply/")
    tab_to(page, 'main a[href="/apply/mckjj/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    submit(page, "提交申请")  # nothing filled in: every problem is listed at once, with links
    check_layout(page, "apply-refused")
    assert page.locator(".error-summary li").count() >= 4
    type_into(page, "#id_name", "键盘申请人")
    type_into(page, "#id_id_number", "11010519850307001" + resident_id_check_char("11010519850307001"))
    type_into(page, "#id_phone", "13812345678")
    type_into(page, "#id_email", "keyboard@example.test")
    type_into(page, "#id_address", "明川市金川区示例路1号")
    type_into(page, "#id_subject", "2025年度科技计划项目立项清单")
    type_into(page, "#id_description", "请公开2025年度市级科技计划项目立项清单。")
    submit(page, "提交申请")
    check_layout(page, "apply-submitted")
    number = page.locator("#tracking-number").inner_text()
    secret = page.locator("#tracking-secret").inner_text()
    page.context.clear_cookies()
    page.goto("/apply/track/")
    type_into(page, "#id_number", number)
    type_into(page, "#id_secret", secret.lower())
    submit(page, "查询")
    check_layout(page, "apply-status")
    assert page.locator("#app-state").is_visible()

    # Write to the mailbox, then follow the letter.
    page.goto("/interact/write/")
    tab_to(page, "#id_kind_0")
    page.keyboard.press("Space")
    type_into(page, "#id_subject", "关于科技创新券的咨询")
    type_into(page, "#id_body", "请问科技创新券如何申领？")
    type_into(page, "#id_name", "键盘写信人")
    type_into(page, "#id_phone", "13812345678")
    answer_challenge(page)
    submit(page, "提交来信")
    check_layout(page, "letter-written")
    tracking = page.locator("#tracking-number").inner_text()
    letter_secret = page.locator("#tracking-secret").inner_text()
    page.goto("/interact/track/")
    type_into(page, "#id_tracking_number", tracking)
    type_into(page, "#id_secret", letter_secret)
    submit(page, "查询")
    check_layout(page, "letter-tracked")
    assert page.locator("#letter-status").inner_text() == "待分办"

    # Comment on the open consultation.
    consultation = next(c for c in ix.public_consultations() if c.accepts_comments())
    page.goto(consultation.get_absolute_url())
    type_into(page, "#id_body", "建议扩大创新券的适用范围。")
    answer_challenge(page)
    submit(page, "提交意见")
    check_layout(page, "comment-sent")
    assert "已提交" in page.locator(".ok").inner_text()
