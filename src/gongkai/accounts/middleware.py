"""Staff sessions end when idle too long or too old, and never run without a required second factor.

Placed after authentication. For a logged-in user: a session idle longer than `policy.idle_timeout()` or older than
`policy.absolute_timeout()` is logged out; so is one whose user must use a second factor (a role given since the
login, say) but logged in without one. People are sent to the login page with the reason; API calls in a
session get 401 as JSON. The last-seen time is written at most once a minute, not on every request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from . import policy
from .login import LAST_SEEN, LOGIN_AT, SECOND_FACTOR

TOUCH_EVERY = 60


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = self._reason_to_end(request)
            if reason:
                return self._ended(request, reason)
        return self.get_response(request)

    def _reason_to_end(self, request: HttpRequest) -> str:
        session, now = request.session, time.time()
        login_at = session.get(LOGIN_AT)
        last_seen = session.get(LAST_SEEN)
        if login_at is None or last_seen is None:  # a session from before these rules: start counting now
            session[LOGIN_AT] = session[LAST_SEEN] = now
            login_at = last_seen = now
        if now - last_seen > policy.idle_timeout():
            return gettext("长时间未操作，已自动退出登录，请重新登录。")
        if now - login_at > policy.absolute_timeout():
            return gettext("登录时间已达上限，已自动退出登录，请重新登录。")
        if not session.get(SECOND_FACTOR) and policy.requires_second_factor(request.user):
            return gettext("您的岗位须使用双因素认证登录，请重新登录并完成验证。")
        if now - last_seen > TOUCH_EVERY:
            session[LAST_SEEN] = now
        return ""

    def _ended(self, request: HttpRequest, reason: str) -> HttpResponse:
        next_url = request.get_full_path()
        logout(request)
        if request.path.startswith("/api/"):
            body = json.dumps({"status": 401, "title": gettext("需要重新登录"), "detail": reason}, ensure_ascii=False)
            return HttpResponse(body, status=401, content_type="application/problem+json; charset=utf-8")
        messages.warning(request, reason)
        query = urlencode({"next": next_url}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse("workspace:login") + (f"?{query}" if query else ""))
