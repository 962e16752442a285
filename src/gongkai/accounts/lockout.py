"""Lock-out after failed logins (登录失败处理), one rule for every way in: the password form, the admin site (which
sends people to that form), the second-factor step, single sign-on, and API tokens.

django-axes counts failures per account (`AXES_LOCKOUT_PARAMETERS`); a locked account is refused everywhere until
the cool-off ends or an administrator unlocks it (`gongkai axes_reset_username NAME`). Failed second factors count
like failed passwords. Attempts from one address are also rate limited (`core.ratelimit`), so trying many
accounts from one place is slowed down without locking anybody.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_locked(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, credentials={"username": username}))


def record_failure(request: HttpRequest, username: str) -> None:
    """Count a failed attempt for `username` as a failed login (a wrong second factor, say)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def locked_response(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
