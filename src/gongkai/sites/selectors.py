"""Which site answers a request, and which site an organisation's pages belong to (站点解析).

The whole site table is read once per publication generation per process (sites change rarely, and every change
advances the generation: `connect_signals`), into a `SiteIndex` of plain, picklable `SiteInfo`s; resolving a
host or an organisation is then a dictionary look-up. Nothing here needs a request: a static publisher renders
a site's pages inside `using(site)`, and mail or feeds ask `site_of(organisation).absolute(path)`.

Without any site row the platform is one site, the *main site*, answered on GONGKAI_SITE_URL's host and the
configured names (GONGKAI_ALLOWED_HOSTS), hosting every organisation, as before sites existed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _

from gongkai.core import generation as request_generation
from gongkai.core.services import public_content_changed
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import OrganisationScope

from .models import Site, SiteHost, host_of

CONVENTION_FIELDS = (
    "site_code", "icp_number", "police_record_number", "police_record_region", "party_mark_url", "party_mark_image",
)


@dataclass(frozen=True)
class SiteInfo:
    """What pages, feeds and links need to know of a site, without the database.

    `pk` is None for the platform's own site when no site row is the main one. `organisation_path` is the
    hosting organisation's tree path ("" for that virtual main site: every organisation); `excluded_paths` are
    the subtrees below it that have sites of their own.
    """

    pk: int | None
    name: str
    base_url: str
    hosts: tuple[str, ...] = ()
    organisation_id: int | None = None
    organisation_code: str = ""
    organisation_path: str = ""
    includes_subtree: bool = True
    excluded_paths: tuple[str, ...] = ()
    is_main: bool = False
    platform_search: bool = False
    home_layout: str = Site.Layout.PORTAL
    logo: str = ""
    colour: str = ""
    navigation: tuple[int, ...] = ()
    conventions: tuple[tuple[str, str], ...] = ()
    has_own_address: bool = False

    @property
    def key(self) -> str:
        """Identifies the site in cache keys."""
        return str(self.pk) if self.pk is not None else "main"

    def convention(self, name: str) -> str:
        return dict(self.conventions).get(name, "")

    def conventions_dict(self) -> dict[str, str]:
        return {name: self.convention(name) for name in CONVENTION_FIELDS}

    def absolute(self, path: str) -> str:
        """`path` (site-relative, starting with /) on this site's own address."""
        return self.base_url + path

    def home_url_of(self, org: Organisation) -> str:
        """`org`'s home page on this site: the site's own home for its organisation when it has an address of its
        own, else the organisation's page (/org/<code>/)."""
        if self.has_own_address and org.pk == self.organisation_id and self.home_layout == Site.Layout.COLUMNS:
            return self.base_url + "/"
        return self.absolute(org.get_absolute_url())

    @property
    def scope(self) -> OrganisationScope:
        """The organisations whose lists, catalog and search this site shows: the main site shows them all."""
        if self.is_main:
            return OrganisationScope()
        return OrganisationScope(self.organisation_path, self.excluded_paths, exact=not self.includes_subtree)

    @property
    def owned_scope(self) -> OrganisationScope:
        """The organisations whose canonical home this site is (its sitemap lists them)."""
        return OrganisationScope(self.organisation_path, self.excluded_paths, exact=not self.includes_subtree)

    def owns(self, org: Organisation) -> bool:
        """Whether `org`'s pages belong to this site (it is their canonical home)."""
        return site_index().site_of_path(org.path).key == self.key

    def serves(self, org: Organisation) -> bool:
        """Whether this site answers `org`'s pages: its own, and on the main site every organisation's."""
        return self.is_main or self.owns(org)

    @property
    def origins(self) -> tuple[str, ...]:
        """The origins (scheme://host[:port]) its pages are served from, for CSRF's trusted origins."""
        parts = urlsplit(self.base_url)
        port = f":{parts.port}" if parts.port else ""
        return tuple(f"{parts.scheme}://{host}{port}" for host in self.hosts)


@dataclass
class SiteIndex:
    """Every site of the platform, by primary key, host name and organisation."""

    main: SiteInfo
    sites: dict[int, SiteInfo] = field(default_factory=dict)
    by_host: dict[str, SiteInfo] = field(default_factory=dict)
    by_organisation: dict[int, SiteInfo] = field(default_factory=dict)

    def site_of_path(self, path: str) -> SiteInfo:
        """The site an organisation's pages belong to: its own, else the nearest one above that hosts it, else
        the main site."""
        ids = [int(p) for p in path.strip("/").split("/") if p]
        for depth, org_id in enumerate(reversed(ids)):
            site = self.by_organisation.get(org_id)
            if site is not None and (depth == 0 or site.includes_subtree):
                return site
        return self.main


def main_hosts() -> set[str]:
    """Host names the main site answers on besides its own: GONGKAI_SITE_URL's and GONGKAI_ALLOWED_HOSTS."""
    names = {host_of(settings.SITE_URL)}
    for name in getattr(settings, "MAIN_SITE_HOSTS", []):
        names.add(name.strip().lower().strip("[]") if name.startswith("[") else name.strip().lower())
    names.discard("")
    return names


def _virtual_main(excluded: tuple[str, ...]) -> SiteInfo:
    roots = list(Organisation.objects.filter(parent__isnull=True).order_by("path").values_list("name", flat=True))
    name = _("%(owners)s政务公开平台") % {"owners": "、".join(roots)} if roots else _("政府信息公开平台")
    return SiteInfo(pk=None, name=name, base_url=settings.SITE_URL.rstrip("/"), is_main=True, platform_search=True,
                    home_layout=Site.Layout.PORTAL, excluded_paths=excluded)


def _nearest_above(path: str, paths: set[str]) -> str | None:
    """The longest proper prefix of tree path `path` ("/1/5/9/") that is in `paths`."""
    ids = [p for p in path.strip("/").split("/") if p]
    for depth in range(len(ids) - 1, 0, -1):
        candidate = "/" + "/".join(ids[:depth]) + "/"
        if candidate in paths:
            return candidate
    return None


def build_index() -> SiteIndex:
    # Plain values, not model instances: the table is read whole on every publication (2,000 sites: bench/sites).
    rows = list(Site.objects.order_by("organisation__path").values(
        "pk", "name", "url", "includes_subtree", "is_main", "platform_search", "home_layout", "logo", "colour",
        "organisation_id", "organisation__code", "organisation__path", *CONVENTION_FIELDS,
    ))
    hosts: dict[int, list[str]] = {}
    for host, site_id in SiteHost.objects.values_list("host", "site_id").order_by("host"):
        hosts.setdefault(site_id, []).append(host)
    navigation: dict[int, list[int]] = {}
    through = Site.navigation.through
    for site_id, column_id in through.objects.order_by("column__sort_order", "column_id").values_list(
        "site_id", "column_id"
    ):
        navigation.setdefault(site_id, []).append(column_id)
    paths = {row["organisation__path"] for row in rows}
    # Each site's nearest site above (by walking its path's ancestors: depth steps, not a scan of every site), so
    # that a site excludes only the outermost sites below it, which cover what is under them.
    below: dict[str, list[str]] = {}
    outermost: list[str] = []
    for path in sorted(paths):
        parent = _nearest_above(path, paths)
        if parent is None:
            outermost.append(path)
        else:
            below.setdefault(parent, []).append(path)
    main_row = next((row for row in rows if row["is_main"]), None)
    main_base = (main_row["url"] if main_row is not None and main_row["url"] else settings.SITE_URL).rstrip("/")
    infos: list[SiteInfo] = []
    for row in rows:
        url, path = row["url"], row["organisation__path"]
        first = host_of(url) if url else ""
        own = sorted(hosts.get(row["pk"], []), key=lambda h: (h != first, h))
        # A site without an address of its own is served on the main site's (its pages at /org/<code>/).
        infos.append(SiteInfo(
            pk=row["pk"], name=row["name"], base_url=url.rstrip("/") if url else main_base, hosts=tuple(own),
            organisation_id=row["organisation_id"], organisation_code=row["organisation__code"],
            organisation_path=path, includes_subtree=row["includes_subtree"],
            excluded_paths=tuple(below.get(path, ())), is_main=row["is_main"],
            platform_search=row["platform_search"] or row["is_main"], home_layout=row["home_layout"],
            logo=row["logo"], colour=row["colour"], navigation=tuple(navigation.get(row["pk"], [])),
            conventions=tuple((name, row[name]) for name in CONVENTION_FIELDS), has_own_address=bool(url),
        ))
    main = next((s for s in infos if s.is_main), None) or _virtual_main(tuple(outermost))
    index = SiteIndex(main=main)
    for info in infos:
        assert info.pk is not None and info.organisation_id is not None  # rows have both
        index.sites[info.pk] = info
        index.by_organisation[info.organisation_id] = info
        for host in info.hosts:
            index.by_host[host] = info
    for host in main_hosts():
        index.by_host.setdefault(host, main)
    return index


# (generation, index) of this process: rebuilt when the generation moves.
_cached: tuple[int, SiteIndex] | None = None


def site_index() -> SiteIndex:
    """The site table as of this request's publication generation (read once per generation per process).

    With the page cache off (GONGKAI_PAGE_CACHE_SECONDS=0, and in tests, whose databases roll the generation
    back) it is read once per request instead.
    """
    global _cached
    holder = request_generation.current()
    if holder is not None and "sites" in holder.extras:
        return holder.extras["sites"]
    if getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0:
        current = request_generation.generation()
        known = _cached
        if known is not None and known[0] == current:
            index = known[1]
        else:
            index = build_index()
            _cached = (current, index)
    else:
        index = build_index()
    if holder is not None:
        holder.extras["sites"] = index
    return index


def clear() -> None:
    global _cached
    _cached = None


def normalise_host(host: str) -> str:
    """A Host header's name: lower case, without port or a trailing dot (IPv6 keeps its brackets off)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0].rstrip(".") if ":" in host else host.rstrip(".")


def site_for_host(host: str) -> SiteInfo | None:
    """The site answering on `host` (a Host header, port allowed), or None for a name no site has."""
    return site_index().by_host.get(normalise_host(host))


def main_site() -> SiteInfo:
    return site_index().main


def site_of(org: Organisation) -> SiteInfo:
    """The site `org`'s pages belong to (its canonical addresses)."""
    return site_index().site_of_path(org.path)


def site_by_pk(pk: int) -> SiteInfo | None:
    return site_index().sites.get(pk)


def all_sites() -> list[SiteInfo]:
    """Every site, the main one first, then in organisation order."""
    index = site_index()
    rest = [s for s in index.sites.values() if s is not index.main]
    return [index.main, *rest]


def trusted_origins() -> set[str]:
    """Every site's origins and GONGKAI_SITE_URL's: a form on one site may post to another site of the platform
    (CSRF)."""
    origins: set[str] = {settings.SITE_URL.rstrip("/")}
    for site in site_index().sites.values():
        origins.update(site.origins)
    return origins


# ---- the site of the work being done (a request, or a static publisher's run) ---------------------------

_active: contextvars.ContextVar[SiteInfo | None] = contextvars.ContextVar("gongkai_site", default=None)


@contextmanager
def using(site: SiteInfo) -> Iterator[SiteInfo]:
    """Render as `site` for the duration (the middleware does this for each request)."""
    token = _active.set(site)
    try:
        yield site
    finally:
        _active.reset(token)


def current_site() -> SiteInfo:
    """The site being served; the main site outside any request."""
    return _active.get() or main_site()


# ---- keeping the index current ---------------------------------------------------------------------------

def _changed(sender: Any, **kwargs: Any) -> None:
    public_content_changed()


def connect_signals() -> None:
    """Sites change through the admin as well as through services: every save advances the generation."""
    for model in (Site, SiteHost):
        post_save.connect(_changed, sender=model, dispatch_uid=f"sites-{model._meta.label_lower}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"sites-{model._meta.label_lower}-delete")
    m2m_changed.connect(_changed, sender=Site.navigation.through, dispatch_uid="sites-navigation")
