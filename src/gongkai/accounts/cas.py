"""CAS sign-on through python-cas (CAS 2.0/3.0 service ticket validation, attributes of CAS 3.0).

CAS has no `state` parameter, so a random value kept in the session is put into the service address: the ticket
is bound to that address, and a callback whose value differs from the session's (a ticket injected from another
browser, login CSRF) is refused before the ticket is validated.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

import requests
from cas import CASClient
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .providers import Identity, Provider, ProviderError

TIMEOUT_SECONDS = 10
SESSION_KEY = "gongkai_cas_state"


class _Session(requests.Session):
    """python-cas sets no timeout; a CAS server that hangs must not hold a server thread for ever."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def _client(provider: Provider, service_url: str) -> Any:
    return CASClient(
        version=provider.options["version"],
        service_url=service_url,
        server_url=provider.options["server_url"],
        session=_Session(),
    )


def _service_url(callback_url: str, state: str) -> str:
    return f"{callback_url}?{urlencode({'state': state})}"


def login_redirect(request: HttpRequest, provider: Provider, callback_url: str) -> HttpResponse:
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = state
    return HttpResponseRedirect(_client(provider, _service_url(callback_url, state)).get_login_url())


def identity_from_callback(request: HttpRequest, provider: Provider, callback_url: str) -> Identity:
    expected = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not expected or not secrets.compare_digest(state, expected):
        raise ProviderError("mismatching_state", "the callback's state is not this session's")
    ticket = request.GET.get("ticket", "")
    if not ticket:
        raise ProviderError("no_ticket")
    try:
        user, attributes, _ = _client(provider, _service_url(callback_url, state)).verify_ticket(ticket)
    except requests.RequestException as exc:
        raise ProviderError("provider_unreachable", repr(exc)) from exc
    except Exception as exc:  # python-cas raises whatever its XML parser raises on a malformed answer
        raise ProviderError("invalid_response", repr(exc)) from exc
    if not user:
        raise ProviderError("invalid_ticket", "the CAS server did not validate the ticket")
    return Identity(subject=str(user), claims={**(attributes or {}), "user": str(user)})
