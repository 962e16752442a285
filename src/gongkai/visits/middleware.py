"""Counting public page views at the server (服务端计数), just outside the public page cache.

Counted: a GET answered 200 with an HTML page of the portal, from a client that is not a crawler, script or
prefetch. Nothing is set in the visitor's browser; the address and user agent only feed the daily salted hash.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongkai.core.middleware import client_address

from .attribution import target_of
from .bots import is_bot, is_prefetch
from .buffer import BUFFER, ensure_flusher, local_today


class VisitCountingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "VISITS_ENABLED", True))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            self.enabled
            and request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            target = target_of(request)
            if target is not None:
                user_agent = request.META.get("HTTP_USER_AGENT", "")
                if not is_bot(user_agent) and not is_prefetch(request):
                    ensure_flusher()
                    BUFFER.record(target, local_today(), client_address(request) or "", user_agent)
        return response
