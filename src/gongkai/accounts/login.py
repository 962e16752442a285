"""Completing a staff login (登录), the one hook every way in goes through.

`complete_staff_login(request, user, backend=…, next_url=…)` is called once the first factor has resolved a user:
by the password form, and by single sign-on (OpenID Connect / CAS) for the user it resolved. It refuses a locked
or inactive account, asks for the second factor when the user has one (or must enrol one first, when their roles
require it), and only then logs the user in. Until then the session holds a pending login that expires after
`PENDING_SECONDS`; nothing else in the site treats it as logged in.

The session then carries when the login happened, when the user was last seen (idle and absolute time-outs,
`middleware.StaffSessionMiddleware`) and which second factor was used.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gongkai.core.services import record_event

from . import lockout, policy, services
from .providers import provider_named

PENDING = "gk_login_pending"
LOGIN_AT = "gk_login_at"
LAST_SEEN = "gk_last_seen"
SECOND_FACTOR = "gk_second_factor"
SESSION_METHOD_KEY = "gongkai_login_method"
LOGIN_ACTION = "login"
PENDING_SECONDS = 600


def safe_next(request: HttpRequest, next_url: str | None) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return next_url
    return "/workspace/"


def complete_staff_login(request: HttpRequest, user: Any, *, backend: str, next_url: str | None = None,
                         method: str = "password", provider: str = "") -> HttpResponse:
    """Finish logging in `user`, whose first factor has just succeeded: `method` is "password", "oidc" or "cas",
    `provider` the configured provider's key for sign-ons."""
    if not getattr(user, "is_active", False) or lockout.is_locked(request, user.get_username()):
        return lockout.locked_response(request)
    pending = {"user": user.pk, "backend": backend, "next": safe_next(request, next_url), "at": time.time(),
               "method": method, "provider": provider}
    if services.has_second_factor(user):
        request.session.cycle_key()
        request.session[PENDING] = pending
        return redirect("workspace:login_verify")
    if policy.requires_second_factor(user):
        request.session.cycle_key()
        request.session[PENDING] = pending
        return redirect("workspace:login_enrol")
    return finish_login(request, user, backend=backend, next_url=pending["next"], method=method, provider=provider,
                        factor="")


def pending_login(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    """The user whose login waits for a second factor, and the pending data; None when there is none or it
    expired."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def verify_second_factor(request: HttpRequest, code: str) -> HttpResponse | None:
    """The second step: a response (logged in, or the lock-out page) or None when the code was wrong."""
    found = pending_login(request)
    if found is None:
        return redirect("workspace:login")
    user, pending = found
    if lockout.is_locked(request, user.get_username()):
        request.session.pop(PENDING, None)
        return lockout.locked_response(request)
    factor = services.verify_code(user, code)
    if factor is None:
        lockout.record_failure(request, user.get_username())
        if lockout.is_locked(request, user.get_username()):
            request.session.pop(PENDING, None)
            return lockout.locked_response(request)
        return None
    return finish_login(request, user, backend=pending["backend"], next_url=pending["next"],
                        method=pending.get("method", "password"), provider=pending.get("provider", ""), factor=factor)


def finish_login(request: HttpRequest, user: Any, *, backend: str, next_url: str, method: str, provider: str,
                 factor: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    with transaction.atomic():  # the login (last_login) and its audit row together
        login(request, user, backend=backend)
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
        request.session[SECOND_FACTOR] = factor
        request.session[SESSION_METHOD_KEY] = {"method": method, "provider": provider}
        data = {"method": method, "provider": provider}
        if factor:
            data["second_factor"] = factor
        how = _login_label(method, provider)
        if factor:
            how += "，" + (_("身份验证器") if factor == "totp" else _("恢复码"))
        record_event(actor=user, action=LOGIN_ACTION, obj=user, summary=_("登录工作台（%(how)s）") % {"how": how},
                     data=data)
    return redirect(next_url)


def _login_label(method: str, provider_key: str) -> str:
    if method == "password":
        return _("账号密码")
    provider = provider_named(provider_key)
    return provider.label if provider else provider_key


def mark_second_factor(session: Any, factor: str) -> None:
    """A logged-in user has just proved a second factor (enrolling one from their account page)."""
    session[SECOND_FACTOR] = factor


def forget_session_marks(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        for key in (PENDING, LOGIN_AT, LAST_SEEN, SECOND_FACTOR, SESSION_METHOD_KEY):
            request.session.pop(key, None)
