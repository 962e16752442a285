"""Logging in through the real login pages, second factor included (tests/accounts/factories.py)."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.factories import current_code


def log_in(page: Any, username: str, password: str, *, start: str = "/workspace/login/") -> None:
    """Password, then the authenticator's code when the account has one; lands on the workspace (or, with `start`
    a staff page, on that page, through the login it redirects to)."""
    page.context.clear_cookies()
    page.goto(start)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/workspace/login/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("验证码").fill(current_code(device))
        page.get_by_role("button", name="验证并登录").click()
