"""Request plumbing in core: the client's address for the audit trail, and the security headers Django lacks."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("gongkai_client_address", default=None)


def client_address(request: HttpRequest) -> str | None:
    # Behind a proxy the operator configures the proxy to set REMOTE_ADDR (see the operator guide);
    # X-Forwarded-For is not trusted because anyone can send it.
    return request.META.get("REMOTE_ADDR") or None


def current_address() -> str | None:
    return _address.get()


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            _address.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django does not write itself: Permissions-Policy on every answer, and HSTS whenever the site is
    declared HTTPS (settings.HTTPS_DECLARED), also when TLS ends at a proxy in front of the app server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")
        seconds = getattr(settings, "HSTS_SECONDS", 0)
        self.hsts = ""
        if seconds:
            self.hsts = f"max-age={seconds}" + ("; includeSubDomains" if settings.HSTS_INCLUDE_SUBDOMAINS else "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if self.hsts:
            response.headers.setdefault("Strict-Transport-Security", self.hsts)
        return response
