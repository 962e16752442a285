"""sitemap.xml: every live item, column and organisation page of the site serving it (those it is the canonical
home of), under that site's address.

One sitemap while the whole site fits in `limit` addresses (50,000, the protocol's maximum); past that,
/sitemap.xml becomes a sitemap index pointing at /sitemap-<section>.xml?p=N pages of at most `limit` each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import Column, Item
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.sites.selectors import current_site

SITEMAP_LIMIT = 50_000


@dataclass(frozen=True)
class IndexEntry:
    """One <sitemap> of the index (the names the sitemap_index.xml template reads)."""

    location: str
    last_mod: datetime | None = None


class _SiteUrlSitemap(Sitemap[Any]):
    """Addresses under the site's configured address rather than the request's host (search engines keep them)."""

    limit = SITEMAP_LIMIT

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(current_site().base_url).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        parts = urlsplit(current_site().base_url)
        return parts.netloc + parts.path.rstrip("/")


class ItemSitemap(_SiteUrlSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Item]:
        # Ordered by pk so pages are stable while new items arrive at the end.
        # Copies taken from other sites (信息报送) are left out: their canonical page is the source's.
        return cat.live_items().filter(cat.scope_filter(current_site().owned_scope), copy_of__isnull=True).order_by("pk")

    def lastmod(self, item: Item) -> datetime | None:
        return item.published_at


class ColumnSitemap(_SiteUrlSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet[Column]:
        return cat.public_columns().filter(current_site().owned_scope.q("organisation__"))


class OrganisationSitemap(_SiteUrlSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Organisation]:
        return org_sel.organisations_in_order().filter(current_site().owned_scope.q())


SITEMAPS: dict[str, type[Sitemap[Any]]] = {
    "items": ItemSitemap,
    "columns": ColumnSitemap,
    "orgs": OrganisationSitemap,
}


def _sections() -> dict[str, Sitemap[Any] | type[Sitemap[Any]]]:
    return {name: cls() for name, cls in SITEMAPS.items()}


def needs_index(sections: dict[str, Sitemap[Any] | type[Sitemap[Any]]]) -> bool:
    """Past `limit` addresses in all, one file is no longer allowed: switch to an index."""
    maps = [s for s in sections.values() if isinstance(s, Sitemap)]
    total = sum(s.paginator.count for s in maps)
    return any(total > s.limit for s in maps)


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    sections = _sections()
    if not needs_index(sections):
        if "p" in request.GET:
            raise Http404("the single sitemap has no pages")
        return sitemap_views.sitemap(request, sections)
    entries = []
    for name, section in sections.items():
        assert isinstance(section, Sitemap)
        location = current_site().absolute(reverse("portal:sitemap_section", kwargs={"section": name}))
        entries.append(IndexEntry(location))
        pages = range(2, section.paginator.num_pages + 1)
        entries.extend(IndexEntry(f"{location}?p={p}") for p in pages)
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    sections = _sections()
    if section not in sections:
        raise Http404("unknown sitemap section")
    return sitemap_views.sitemap(request, sections, section=section)
