"""Proves the browser fixtures work end to end: a real chromium logs in to the Django admin, through the
workspace's login with the second factor a superuser must use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.factories import current_code, enrol

pytestmark = pytest.mark.browser


def test_admin_login_page_renders_and_accepts_a_staff_user(
    page: Any, screenshot: Callable[[str], Path], make_user: Callable[..., Any]
) -> None:
    device = enrol(make_user("zhangsan", password="pass-for-the-browser-test", is_staff=True, is_superuser=True))

    page.goto("/admin/")
    page.wait_for_url("**/workspace/login/?next=/admin/")
    assert page.locator("#id_username").is_visible()
    assert screenshot("login-form").stat().st_size > 0

    page.fill("#id_username", "zhangsan")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="登录").click()
    assert page.locator(".errors").is_visible()

    page.fill("#id_password", "pass-for-the-browser-test")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workspace/login/verify/")
    screenshot("second-factor")
    page.get_by_label("验证码").fill(current_code(device))
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url("**/admin/")
    assert "zhangsan" in page.locator("#user-tools").inner_text().lower()  # CSS shows it in capitals
    screenshot("admin-index")
