"""Routing by host name (按域名分站): the first middleware resolves the site of each request, once.

The host is checked here against the site table and the main site's names, before anything else reads it, so
Django's own ALLOWED_HOSTS is left open (settings.py) and an operator never lists the sites' names by hand. A
name no site has is answered as the main site (GONGKAI_UNKNOWN_HOSTS=main: the request continues as if it had
named the main site's address, so no page, link or cache entry ever carries the unknown name) or refused with
a Chinese page and status 400 (=refuse, the default, as Django refuses a host it does not know). Either way the
audit trail notes it, at most once a day per name and a bounded number of times an hour in all.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core import generation
from gongkai.core.services import record_event

from . import selectors

log = logging.getLogger(__name__)

# Probes answer whatever the name a load balancer uses (often the server's own address).
UNCHECKED_PATHS = ("/healthz", "/readyz")
UNKNOWN_HOST_AUDITS_PER_HOUR = 50


def unknown_host_policy() -> str:
    return "main" if getattr(settings, "UNKNOWN_HOSTS", "refuse") == "main" else "refuse"


def _audit_unknown_host(host: str, answered: str) -> None:
    """One audit row per unknown name per day, and at most UNKNOWN_HOST_AUDITS_PER_HOUR in all: a scanner
    trying many names must not turn each request into a write."""
    now = timezone.now()
    digest = hashlib.sha256(host.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    hour = f"sites:unknown-host-hour:{now:%Y%m%d%H}"
    try:
        if not cache.add(f"sites:unknown-host:{now:%Y%m%d}:{digest}", 1, 26 * 3600):
            return
        cache.add(hour, 0, 3700)
        if cache.incr(hour) > UNKNOWN_HOST_AUDITS_PER_HOUR:
            return
        record_event(actor=None, action="sites.unknown_host", object_type="sites.host",
                     summary=gettext("未知域名：%(host)s") % {"host": host[:100]}, data={"host": host[:253], "answered": answered})
    except Exception:  # the audit note must never turn an answer into a 500
        log.exception("could not record an unknown host")


class SiteMiddleware:
    """Resolves `request.site_info` from the Host header and serves the request as that site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in UNCHECKED_PATHS:
            return self.get_response(request)
        with generation.request_generation():
            raw = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
            site = selectors.site_for_host(raw)
            if site is None:
                name = selectors.normalise_host(raw)[:253]
                if unknown_host_policy() == "refuse":
                    _audit_unknown_host(name, "refused")
                    return HttpResponse(
                        render_to_string("sites/unknown_host.html", {"host": name}), status=400,
                        content_type="text/html; charset=utf-8",
                    )
                _audit_unknown_host(name, "main")
                site = selectors.main_site()
                # Continue exactly as a request for the main site: nothing downstream sees the unknown name.
                request.META["HTTP_HOST"] = urlsplit(site.base_url).netloc or "localhost"
            request.site_info = site  # type: ignore[attr-defined]
            with selectors.using(site):
                return self.get_response(request)


class SiteCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF check, trusting every site's own origins beside CSRF_TRUSTED_ORIGINS (GONGKAI_SITE_URL and
    GONGKAI_CSRF_TRUSTED_ORIGINS): a site added in the admin is trusted at once, without a restart."""

    @property
    def csrf_trusted_origins_hosts(self) -> list[str]:
        configured = [urlsplit(origin).netloc.lstrip("*") for origin in settings.CSRF_TRUSTED_ORIGINS]
        return configured + [urlsplit(origin).netloc for origin in selectors.trusted_origins()]

    @property
    def allowed_origins_exact(self) -> set[str]:
        configured = {origin for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin}
        return configured | selectors.trusted_origins()


def request_site(request: Any) -> selectors.SiteInfo:
    """The site of `request` (set by SiteMiddleware), else the site being rendered."""
    site = getattr(request, "site_info", None)
    return site if isinstance(site, selectors.SiteInfo) else selectors.current_site()


