"""Single sign-on for staff (统一身份认证登录): the redirect to the provider and its callback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from gongkai.accounts import login as account_login
from gongkai.accounts import sign_on as accounts_sign_on
from gongkai.accounts.providers import Provider, configured_providers, provider_named

NEXT_SESSION_KEY = "gongkai_sign_on_next"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _provider(key: str) -> Provider:
    provider = provider_named(key)
    if provider is None:
        raise Http404
    return provider


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _callback_url(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("workspace:sign_on_callback", args=[provider.key]))


def _back_to_login(next_url: str) -> HttpResponse:
    login = reverse("workspace:login")
    return HttpResponseRedirect(f"{login}?{urlencode({'next': next_url})}" if next_url else login)


def provider_links(next_url: str) -> list[dict[str, str]]:
    """The configured providers as links for the login page, each carrying `next`."""
    links = []
    for provider in configured_providers():
        url = reverse("workspace:sign_on", args=[provider.key])
        links.append({"label": provider.label, "url": f"{url}?{urlencode({'next': next_url})}" if next_url else url})
    return links


@never_cache
@require_safe
def sign_on(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    next_url = _safe_next(request, request.GET.get("next", ""))
    request.session[NEXT_SESSION_KEY] = next_url
    try:
        return accounts_sign_on.start_sign_on(request, chosen, _callback_url(request, chosen))
    except accounts_sign_on.SignOnRefused as refusal:
        messages.error(request, refusal.message)
        return _back_to_login(next_url)


@never_cache
@require_safe
def sign_on_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    # Taken before the login: logging in as someone else than the session's user empties the session.
    next_url = _safe_next(request, request.session.pop(NEXT_SESSION_KEY, ""))
    try:
        user = accounts_sign_on.sign_on(request, chosen, _callback_url(request, chosen))
    except accounts_sign_on.SignOnRefused as refusal:
        messages.error(request, refusal.message)
        return _back_to_login(next_url)
    return account_login.complete_staff_login(
        request, user, backend=MODEL_BACKEND, next_url=next_url or resolve_url(settings.LOGIN_REDIRECT_URL),
        method=chosen.protocol, provider=chosen.key)
