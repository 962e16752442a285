"""The API's plumbing: JSON answers with ETag / Last-Modified and 304, problems as JSON, per-address rate
limits over the cache, and staff authentication (a token, or the workspace session with its CSRF check)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from gongkai.accounts import lockout
from gongkai.core import ratelimit
from gongkai.core.middleware import client_address
from gongkai.core.ratelimit import Limit, RateLimited, too_many_requests
from gongkai.sites.middleware import SiteCsrfViewMiddleware as CsrfViewMiddleware

from .models import ApiToken, digest

View = Callable[..., HttpResponse]
# Requests per minute from one address (reads and writes together); GONGKAI_API_RATE_LIMIT overrides.
RATE_LIMIT = int(os.environ.get("GONGKAI_API_RATE_LIMIT", "600"))


def problem(status: int, title: str, **extra: Any) -> HttpResponse:
    """An error as application/problem+json (RFC 9457)."""
    body = json.dumps({"status": status, "title": title, **extra}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/problem+json; charset=utf-8")


def json_response(request: HttpRequest, data: Any, *, status: int = 200,
                  last_modified: dt.datetime | None = None) -> HttpResponse:
    """JSON with a strong ETag over the body and, when known, Last-Modified; 304 when the client has it."""
    body = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if status == 200 and request.method in {"GET", "HEAD"}:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            if etag in tags or "*" in tags:
                return _not_modified(etag, last_modified)
        elif last_modified is not None:
            since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
            if since is not None and int(last_modified.timestamp()) <= since:
                return _not_modified(etag, last_modified)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=0, must-revalidate" if status == 200 else "no-store"
    return response


def _not_modified(etag: str, last_modified: dt.datetime | None) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def rate_limited(view: View) -> View:
    """At most RATE_LIMIT requests a minute from one client address; 429 with Retry-After beyond."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            left = ratelimit.hit("api", client_address(request), (Limit(RATE_LIMIT, 60),))
        except RateLimited as exc:
            return too_many_requests(request, exc)
        response = view(request, *args, **kwargs)
        response["X-RateLimit-Limit"] = str(RATE_LIMIT)
        response["X-RateLimit-Remaining"] = str(left)
        return response

    return wrapper


def staff_user(request: HttpRequest) -> tuple[Any, HttpResponse | None]:
    """The acting staff member: from `Authorization: Token <key>`, else the session (then CSRF applies)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, key = header.partition(" ")
        if scheme.lower() not in {"token", "bearer"} or not key.strip():
            return None, problem(401, gettext("认证信息格式无效"), detail=gettext("请使用 Authorization: Token <key>。"))
        token = ApiToken.objects.select_related("user").filter(key_digest=digest(key.strip()), revoked=False).first()
        if token is None or not token.user.is_active:
            return None, problem(401, gettext("令牌无效或已吊销"))
        if lockout.is_locked(request, token.user.get_username()):  # a locked account is locked for its tokens too
            return None, problem(403, gettext("账号已锁定"), detail=gettext("该账号因连续登录失败已被暂时锁定，令牌在锁定期间不能使用。"))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, None
    user = getattr(request, "user", AnonymousUser())
    if not user.is_authenticated:
        return None, problem(401, gettext("需要登录或提供 API 令牌"))
    reason = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, lambda r: HttpResponse(), (), {})
    if reason is not None:
        return None, problem(403, gettext("CSRF 校验失败"), detail=gettext("使用会话认证时须带 X-CSRFToken 请求头。"))
    return user, None


def staff_endpoint(view: View) -> View:
    """A staff write: authenticated as above; the view receives the acting user."""

    @csrf_exempt  # checked in staff_user() for session requests; tokens are not sent by browsers
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user, refusal = staff_user(request)
        if refusal is not None:
            return refusal
        return view(request, user, *args, **kwargs)

    return wrapper


def read_json(request: HttpRequest) -> tuple[dict[str, Any] | None, HttpResponse | None]:
    if len(request.body) > 1_000_000:
        return None, problem(413, gettext("请求体过大"))
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None, problem(400, gettext("请求体不是有效的 JSON"))
    if not isinstance(data, dict):
        return None, problem(400, gettext("请求体应为 JSON 对象"))
    return data, None
