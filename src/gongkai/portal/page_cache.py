"""The public page cache: whole anonymous portal pages, keyed by the publication generation.

Rendering the page chrome costs 13–20 ms of CPU per page (docs/benchmarks.md), against ~0.3 ms for /healthz;
the same page for every anonymous visitor is rendered once per publication instead.

Correctness does not rest on expiry. The key holds the publication generation (core.services.PUBLIC_GENERATION),
read from the database on every cacheable request — one single-row query — and advanced by
`public_content_changed()` in the transaction of every change the public can see. After a publication, every
app server's next request reads the new number and misses, so no server serves a page made before it.
The bodies sit in a Django local-memory cache of this module (per process, not in settings.CACHES, which may
point to Redis): nothing to share between servers, because the generation is what they share.

What the generation cannot see is time: a first publication scheduled for later goes live at its `go_live_at`
without any write. An entry therefore lives at most GONGKAI_PAGE_CACHE_SECONDS (default 60) and never past
the earliest future `go_live_at` of an item or a duty list version, so a scheduled item appears on time.
Other clock-driven changes (a consultation's end date, a scheduled reply) show within that bound.

Cached: GET and HEAD from visitors without a session or messages cookie, to portal paths, answered 200 by a
view that used no CSRF token, set no cookie, touched no session or messages and did not mark itself private.
The key holds the site, the path, the query, the host and the display-mode cookies (长者模式, 无障碍), which change the
page. A logged-in user always has a session cookie, so staff neither read cached pages nor fill the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_vary_headers

from gongkai.core.services import public_content_changed
from gongkai.visits.attribution import Target, remember, target_of

from . import fragments
from .views_conventions import DISPLAY_MODES

# At most ~512 KB each (MAX_BODY_BYTES); most pages are 20–60 KB. Locmem culls a third when full.
pages = LocMemCache("gongkai-pages", {"OPTIONS": {"MAX_ENTRIES": 1000}})
HEADER = "X-Page-Cache"
# Staff pages, the admin, the API (its own ETags), form pages of requests for disclosure, the display switch
# (it sets a cookie) and files: never cached. The interaction forms are never_cache views, refused below.
EXCLUDED_PREFIXES = (
    "/workspace/", "/admin/", "/api/", "/apply/", "/display-mode/", "/attachments/", "/static/", "/media/",
    "/healthz", "/readyz",
)
# A few huge pages must not push out many ordinary ones (the cache holds up to 1,000 bodies per process).
MAX_BODY_BYTES = 512 * 1024
# Vary headers a cached page may carry: Cookie (the key covers the cookies a cacheable page depends on),
# Accept-Language (one language) and Accept-Encoding (compression happens outside the cache).
ALLOWED_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
REFUSING_CACHE_CONTROL = ("private", "no-store", "no-cache")


def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def _request_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if any(request.path.startswith(prefix) for prefix in EXCLUDED_PREFIXES):
        return False
    # A session cookie may belong to a logged-in user (whose pages show their name and links) or carry pending
    # messages; loading the session to find out would cost a query, so any session is simply not cached.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies


def cache_key(request: HttpRequest, generation: int) -> str:
    modes = ",".join(f"{mode}={request.COOKIES.get(cookie, '')}" for mode, cookie in sorted(DISPLAY_MODES.items()))
    site = fragments.site().key  # the same address is a different page on each site
    raw = "\n".join([str(generation), site, request.scheme or "", request.get_host(), request.get_full_path(), modes])
    # Hashed: a 10,000-character search query must not become a 10,000-character key.
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _response_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_BODY_BYTES:
        return False
    # The page holds a CSRF token (a form): it belongs to this visitor, and the cookie is set further out.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and getattr(storage, "added_new", False):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in REFUSING_CACHE_CONTROL):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= ALLOWED_VARY


# (generation, when read, the earliest scheduled go-live then): two queries saved on every page stored.
_scheduled: tuple[int, dt.datetime, dt.datetime | None] | None = None


def next_scheduled_go_live(now: dt.datetime) -> dt.datetime | None:
    """The earliest moment after `now` at which something scheduled becomes public without a write.

    Scheduling advances the generation, so within one generation the answer read earlier still holds until
    that moment passes; it is read again then, on a new generation, and at least every cache_seconds() (a
    change made without the services, e.g. in the admin, is seen within the same bound as pages are).
    """
    global _scheduled
    from gongkai.catalog.models import DutyListVersion, Item

    current = fragments.generation()
    known = _scheduled
    if known is not None:
        known_generation, read_at, moment = known
        fresh = read_at <= now < read_at + dt.timedelta(seconds=cache_seconds())
        if known_generation == current and fresh and (moment is None or moment > now):
            return moment
    moments = [
        Item.objects.filter(go_live_at__gt=now).aggregate(m=Min("go_live_at"))["m"],
        DutyListVersion.objects.filter(go_live_at__gt=now).aggregate(m=Min("go_live_at"))["m"],
    ]
    found = [m for m in moments if m is not None]
    _scheduled = (current, now, min(found) if found else None)
    return _scheduled[2]


def clear() -> None:
    """Forget every cached page and fragment of this process (tests: their databases roll back the generation)."""
    global _scheduled
    pages.clear()
    fragments.store.clear()
    _scheduled = None


def entry_lifetime(now: dt.datetime) -> int:
    seconds = cache_seconds()
    scheduled = next_scheduled_go_live(now)
    if scheduled is not None:
        seconds = min(seconds, math.ceil((scheduled - now).total_seconds()))
    return seconds


class PublicPageCacheMiddleware:
    """Innermost middleware: outer ones (security headers, CSRF, sessions, locale) still run on cached pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with fragments.request_generation() as generation:
            return self._respond(request, generation.get)

    def _respond(self, request: HttpRequest, generation: Callable[[], int]) -> HttpResponse:
        if cache_seconds() <= 0 or not _request_cacheable(request):
            return self.get_response(request)
        key = cache_key(request, generation())
        cache = pages
        stored: tuple[int, bytes, list[tuple[str, str]], Target | None] | None = cache.get(key)
        if stored is not None:
            status, content, headers, counted_as = stored
            hit = HttpResponse(content, status=status)
            for name, value in headers:
                hit[name] = value
            hit[HEADER] = "hit"
            remember(request, counted_as)  # the visit counter outside counts the page as its view did
            return hit
        response = self.get_response(request)
        # Only GET fills the cache: a HEAD response may have had its body removed on the way.
        if request.method == "GET" and _response_cacheable(request, response):
            # The display-mode cookies are part of the key, so a shared cache in front must key on them too.
            patch_vary_headers(response, ["Cookie"])
            lifetime = entry_lifetime(timezone.now())
            if lifetime > 0:
                cache.set(key, (response.status_code, response.content, list(response.items()), target_of(request)),
                          lifetime)
            response[HEADER] = "miss"
        return response


def _changed(sender: Any, **kwargs: Any) -> None:
    public_content_changed()


def connect_signals() -> None:
    """Organisations and columns change through the admin as well as through services: catch every save.

    They change rarely, so advancing the generation on each save costs nothing worth measuring.
    """
    from gongkai.catalog.models import Column, DutyList
    from gongkai.orgs.models import Organisation

    for model in (Organisation, Column, DutyList):
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-{model._meta.label_lower}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-{model._meta.label_lower}-delete")
