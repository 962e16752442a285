"""Proves the browser fixtures work end to end: a real chromium logs in to the Django admin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_admin_login_page_renders_and_accepts_a_staff_user(
    page: Any, screenshot: Callable[[str], Path], make_user: Callable[..., Any]
) -> None:
    make_user("zhangsan", password="pass-for-the-browser-test", is_staff=True, is_superuser=True)

    page.goto("/admin/login/")
    assert page.locator("#id_username").is_visible()
    assert screenshot("login-form").stat().st_size > 0

    page.fill("#id_username", "zhangsan")
    page.fill("#id_password", "wrong password")
    page.click("input[type=submit]")
    assert page.locator(".errornote").is_visible()

    page.fill("#id_password", "pass-for-the-browser-test")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "zhangsan" in page.locator("#user-tools").inner_text().lower()  # CSS shows it in capitals
    screenshot("admin-index")
