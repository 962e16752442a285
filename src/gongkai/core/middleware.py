"""Remember the client's address for the current request, so the audit trail can record it."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

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
