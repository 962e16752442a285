"""OpenID Connect sign-on through Authlib: discovery, authorization code flow with PKCE, nonce and state kept in
the session, ID token signature checked against the provider's JWKS, issuer, audience and expiry checked.

Authlib does the protocol; this module only turns its answers into an `Identity` or a `ProviderError`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

from .providers import Identity, Provider, ProviderError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10

_clients: dict[tuple[str, ...], Any] = {}
_clients_lock = threading.Lock()


def discovery_url(provider: Provider) -> str:
    return provider.options.get("discovery_url") or (
        provider.options["issuer"].rstrip("/") + "/.well-known/openid-configuration"
    )


def _client(provider: Provider) -> Any:
    """One Authlib client per provider configuration: it caches the discovery document and the JWKS."""
    options = provider.options
    key = (provider.key, options["issuer"], discovery_url(provider), options["client_id"], options["client_secret"],
           options["scopes"])
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            registry = OAuth()
            client = registry.register(
                name=provider.key,
                client_id=options["client_id"],
                client_secret=options["client_secret"],
                server_metadata_url=discovery_url(provider),
                client_kwargs={"scope": options["scopes"], "code_challenge_method": "S256",
                               "default_timeout": TIMEOUT_SECONDS},
            )
            _clients[key] = client
    return client


def login_redirect(request: HttpRequest, provider: Provider, callback_url: str) -> HttpResponse:
    try:
        return _client(provider).authorize_redirect(request, callback_url)
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise ProviderError("provider_unreachable", repr(exc)) from exc


def identity_from_callback(request: HttpRequest, provider: Provider) -> Identity:
    """Exchange the code, verify the ID token; add userinfo when the ID token lacks the mapping claim."""
    client = _client(provider)
    try:
        token = client.authorize_access_token(request)
    except OAuthError as exc:
        raise ProviderError(exc.error or "oauth_error", exc.description or "") from exc
    except JoseError as exc:
        raise ProviderError("invalid_id_token", repr(exc)) from exc
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise ProviderError("provider_unreachable", repr(exc)) from exc
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ProviderError("invalid_id_token", "no ID token or no subject in it")
    issuer = provider.options["issuer"].rstrip("/")
    if str(claims.get("iss", "")).rstrip("/") != issuer:
        raise ProviderError("invalid_id_token", f"issuer {claims.get('iss')!r} is not the configured {issuer!r}")
    if provider.claim not in claims and client.load_server_metadata().get("userinfo_endpoint"):
        try:
            info = dict(client.userinfo(token=token))
        except (OAuthError, requests.RequestException, ValueError) as exc:
            raise ProviderError("userinfo_failed", repr(exc)) from exc
        # OpenID Connect Core 5.3.2: a userinfo answer about someone else must not be used.
        if info.get("sub") != claims["sub"]:
            raise ProviderError("userinfo_failed", "userinfo subject differs from the ID token's")
        claims = {**info, **claims}
    return Identity(subject=str(claims["sub"]), claims=claims)
