"""静态发布 (static publishing): the public pages that are the same for every visitor, written as files.

Turned on by GONGKAI_STATIC_SITE_DIR. Each site (gongkai.sites) has a directory of its own there, named by its
canonical host name (`www.example.gov.cn/index.html`, `kjj.example.gov.cn/items/7/index.html`); each of a site's
other host names is a symbolic link to that directory, so nginx picks the files by `$host` and every name of a
site answers what the application answers on it. The web server (nginx, docs/operator-guide.md) answers an
address from the files when its file exists and the request carries no query and no cookie that changes the
page, and passes everything else (search, the catalog's filters, forms, tracking, staff pages, display modes)
to the application. The public site then stays up when the application is down, and a page is rendered once
per change instead of once per visitor.

Which files, per site: its home page, organisation list, robots.txt, sitemaps, the annual reports' lists and the
open-data page; and for each organisation whose pages the site is the home of (sites.site_of; a site without an
address of its own is served on the main site's, so its organisations' files are the main site's): its page,
guide and duty lists (with their published versions), each column's first pages (GONGKAI_STATIC_SITE_LIST_PAGES
of them, default 10: later pages are the application's, since every keyset page boundary moves when an item is
added at the top), the column feeds, each live item, its annual reports. The main site also answers other
sites' organisations at their path addresses; those stay with the application (their canonical files are on
their own site).

When: the services that publish, edit or withdraw tell core.public_changes what they touched; after their
transaction commits, the task `publish_changes` renders the pages that show it, on the sites that show it (an
item on its organisation's site, and the home page of every site above whose lists include it; a 信息报送 copy
is an item of the receiving organisation), writes those whose bytes changed (a file that would not change is
left alone, so its modification time means something), and removes the file of a page that is no longer public
(a withdrawn item: its page is gone and its lists are rewritten in the same pass). A change scheduled for later
(定时发布) is written at its moment. A change to the site table (a site's name, address, host names, navigation)
rebuilds everything, as `gongkai static-site` does, which also removes what no page accounts for.

Each page is rendered by its own view, as an anonymous visitor without cookies sees it at its site's address,
so a file holds exactly what the application would answer there. Files are replaced atomically (written beside,
then renamed), and one writer at a time works on a directory (a lock file), so a slow older pass cannot
overwrite a newer one's file with an older page.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django_tasks import task

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import Column, DutyList
from gongkai.core import generation
from gongkai.core.progress import Progress
from gongkai.core.public_changes import Change, listen, touched
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors as report_selectors
from gongkai.sites import selectors as sites
from gongkai.sites.models import Site, SiteHost, host_of

from . import sitemaps
from .tree import ancestors

logger = logging.getLogger(__name__)

LOCK_NAME = ".gongkai-static-site.lock"
# What a rebuild may remove: only files of the shapes this module writes (the directory may hold others).
OWN_SUFFIXES = (".html", ".xml", ".txt")
# The names nginx's configuration looks up as directories (deploy/nginx/gongkai-static-site.conf): no ports,
# no IPv6 brackets, nothing that leaves the directory.
HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")


@dataclass(frozen=True, order=True)
class Address:
    """A public address on one site: the site's canonical host name, a path and, for the further pages of a
    list, its one query parameter."""

    host: str
    path: str
    query: str = ""
    list_head: bool = False  # a column's first page: its later pages are files beside it

    @property
    def file_name(self) -> str:
        """Where the page lives in the directory, as the nginx configuration looks for it, under the site's
        host: `index.html` in the path's folder, `after-<cursor>.html` beside it for a column's later page,
        `<name>-p<N>.xml` for a sitemap's page N."""
        relative = f"{self.host}/{unquote(self.path).lstrip('/')}"  # nginx looks files up by the decoded path
        if self.query.startswith("after="):
            return f"{relative}after-{self.query.removeprefix('after=')}.html"
        if self.query.startswith("p="):
            return f"{relative}-p{self.query.removeprefix('p=')}.xml"
        return f"{relative}index.html" if self.path.endswith("/") else relative


def directory() -> Path | None:
    value = getattr(settings, "STATIC_SITE_DIR", None)
    return Path(value) if value else None


def list_pages() -> int:
    return max(1, int(getattr(settings, "STATIC_SITE_LIST_PAGES", 10)))


# ---- sites and their directories -------------------------------------------------------------------------

def canonical_host(site: sites.SiteInfo) -> str:
    """The host name of the site's address: the name of its directory."""
    return host_of(site.base_url) or "localhost"


def published_sites() -> dict[str, sites.SiteInfo]:
    """The sites that have files, by canonical host: the main site and every site with an address of its own
    (a site without one is answered on the main site's address, as the main site). Derived once per pass (the
    publication generation's holder keeps it), not once per page."""
    holder = generation.current()
    if holder is not None and "static-site-hosts" in holder.extras:
        return holder.extras["static-site-hosts"]
    found = {canonical_host(sites.main_site()): sites.main_site()}
    for site in sites.all_sites():
        if site.has_own_address:
            found.setdefault(canonical_host(site), site)
    if holder is not None:
        holder.extras["static-site-hosts"] = found
    return found


def home_site(org: Organisation) -> sites.SiteInfo:
    """The site whose directory holds `org`'s pages: its own site when that has an address, else the main site."""
    site = sites.site_of(org)
    return site if site.has_own_address else sites.main_site()


def host_links() -> dict[str, str]:
    """Each other host name of a published site (and the main site's extra names) -> its canonical host."""
    links: dict[str, str] = {}
    for host, site in published_sites().items():
        names = set(site.hosts) | (sites.main_hosts() if site.is_main else set())
        for name in names:
            if name != host and HOST_NAME.fullmatch(name):
                links[name] = host
    return links


def _request(address: Address, site: sites.SiteInfo) -> Any:
    base = urlsplit(site.base_url)
    request: Any = RequestFactory().get(
        address.path, QueryDict(address.query), HTTP_HOST=base.netloc or address.host,
        secure=base.scheme == "https", HTTP_USER_AGENT="gongkai static-site",
    )
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = settings.LANGUAGE_CODE
    request.COOKIES = {}
    request.site_info = site  # as sites.middleware sets it
    return request


def render(address: Address) -> bytes | None:
    """The page as the application answers an anonymous visitor on the address's site, or None when it is not a
    public page that every visitor sees alike (404, a redirect, a form with its CSRF token, a page marked
    private), or the host is no site's."""
    try:
        match = resolve(address.path)
    except Resolver404:
        return None
    with generation.request_generation():
        site = published_sites().get(address.host)
        if site is None:
            return None
        request = _request(address, site)
        request.resolver_match = match  # as the URL handler sets it: the templates read it (the current page)
        with sites.using(site), translation.override(settings.LANGUAGE_CODE):
            try:
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            except Http404:
                return None
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None
    if any(word in response.get("Cache-Control", "").lower() for word in ("private", "no-store", "no-cache")):
        return None
    return response.content


# ---- which pages show what --------------------------------------------------------------------------------

def site_addresses(host: str) -> list[Address]:
    """A site's pages that any change of its organisations may touch: home, organisation list, robots.txt and
    the sitemaps."""
    return [Address(host, "/"), Address(host, reverse("portal:orgs")), Address(host, reverse("portal:robots")),
            *sitemap_addresses(host)]


def sitemap_addresses(host: str, from_item: int | None = None) -> list[Address]:
    """The site's /sitemap.xml, and when it is an index, its sections' pages: every page, or for an item's
    change only the items pages from the one that lists it to the last (items are listed by id, so a new one
    changes only the last page; a withdrawn one moves the ones after it)."""
    addresses = [Address(host, reverse("portal:sitemap"))]
    site = published_sites().get(host)
    if site is None:
        return addresses
    with sites.using(site):
        sections = sitemaps._sections()
        if not sitemaps.needs_index(sections):
            return addresses
        for name, section in sections.items():
            path = reverse("portal:sitemap_section", kwargs={"section": name})
            pages = range(1, section.paginator.num_pages + 1)  # type: ignore[union-attr]
            if name == "items" and from_item is not None:
                before = sitemaps.ItemSitemap().items().filter(pk__lt=from_item).count()
                pages = range(before // sitemaps.SITEMAP_LIMIT + 1, pages.stop)
            addresses.extend(Address(host, path, f"p={p}" if p > 1 else "") for p in pages)
    return addresses


def column_addresses(host: str, column: Column) -> list[Address]:
    """A column's first list_pages() pages (the first without a query, then by keyset cursor) and feeds."""
    base = column.get_absolute_url()
    addresses = [Address(host, base, list_head=True)]
    items = cat.column_items(column)
    cursor: str | None = None
    for _ in range(list_pages() - 1):
        cursor = cat.page_of(items, cursor=cursor).next_cursor
        if cursor is None:
            break
        addresses.append(Address(host, base, f"after={cursor}"))
    kwargs = {"code": column.organisation.code, "slug": column.slug}
    addresses += [Address(host, reverse("portal:column_rss", kwargs=kwargs)),
                  Address(host, reverse("portal:column_atom", kwargs=kwargs))]
    return addresses


def organisation_addresses(org: Organisation, host: str | None = None) -> list[Address]:
    """An organisation's own pages on its site: its page, guide, duty lists and their published versions, its
    columns, its annual reports."""
    host = host or canonical_host(home_site(org))
    code = org.code
    addresses = [Address(host, reverse("portal:org", args=[code])), Address(host, reverse("portal:guide", args=[code])),
                 Address(host, reverse("portal:duty_lists", args=[code]))]
    for duty_list in cat.published_duty_lists(org):
        addresses.append(Address(host, reverse("portal:duty_list", args=[code, duty_list.kind])))
        addresses += [Address(host, reverse("portal:duty_list_version", args=[code, duty_list.kind, v.pk]))
                      for v in cat.published_duty_versions(duty_list)]
    for column in cat.columns_of(org).select_related("organisation"):
        addresses += column_addresses(host, column)
    return addresses


def report_list_addresses(host: str) -> list[Address]:
    """The annual reports' lists and the open-data page (every site shows the platform's reports)."""
    return [Address(host, reverse(name)) for name in ("portal_reports:list", "portal_reports:website_list",
                                                      "portal:data")]


def report_addresses(org: Organisation) -> list[Address]:
    """An organisation's annual reports' pages (disclosure and website), on its site."""
    host = canonical_host(home_site(org))
    addresses = []
    for family, list_name, page_name in (("", "portal_reports:org", "portal_reports:report"),
                                         ("website", "portal_reports:website_org", "portal_reports:website_report")):
        reports = (report_selectors.published_reports(family) if family else report_selectors.published_reports())
        years = [r.year for r in reports.filter(organisation=org)]
        if years:
            addresses.append(Address(host, reverse(list_name, args=[org.code])))
            addresses += [Address(host, reverse(page_name, args=[org.code, year])) for year in years]
    return addresses


def item_address(pk: int) -> Address | None:
    """An item's page on its site (whatever its state: a withdrawn one's file is to be removed)."""
    item = cat.item_placement(pk)
    if item is None:
        return None
    return Address(canonical_host(home_site(item.organisation)), reverse("portal:item", args=[pk]))


def _homes_listing(org: Organisation, *, also: Iterable[str] = ()) -> list[Address]:
    """The home page (and `also` pages) of every site whose lists include `org`'s content: its own, and those
    above whose scope covers it (the main site's portal home lists every organisation's newest items)."""
    addresses = []
    for host, site in published_sites().items():
        if site.scope.contains(org.path) or host == canonical_host(home_site(org)):
            addresses += [Address(host, path) for path in ("/", *also)]
    return addresses


def item_change_addresses(pk: int) -> list[Address]:
    """What shows an item: its page, its policy's or interpretations' pages, the pages of the copies taken from
    it (they name it), its column and the columns above (their lists include their children's items), its
    organisation's page, its site's sitemap, and the home pages of the sites that list it."""
    item = cat.item_placement(pk)
    if item is None:
        return []
    host = canonical_host(home_site(item.organisation))
    addresses = [Address(host, reverse("portal:item", args=[pk]))]
    linked = [item.interprets_id] if item.interprets_id else []
    linked += [interpretation.pk for interpretation in cat.live_interpretations(item)]
    linked += cat.live_copy_ids(item)
    addresses += [a for a in map(item_address, linked) if a is not None]
    columns = list(cat.columns_of(item.organisation))
    for column in [item.column, *ancestors(item.column, columns)]:
        column.organisation = item.organisation
        addresses += column_addresses(host, column)
    addresses.append(Address(host, reverse("portal:org", args=[item.organisation.code])))
    addresses += _homes_listing(item.organisation)
    addresses += sitemap_addresses(host, from_item=pk)
    return addresses


def addresses_for(changes: Iterable[Change]) -> list[Address]:
    """Every page a set of changes touches, each once, in a stable order."""
    found: dict[Address, None] = {}
    for change in changes:
        if change.kind == "item":
            found.update(dict.fromkeys(item_change_addresses(change.pk)))
            continue
        org = org_sel.organisation_by_pk(change.pk)
        if org is None:
            continue
        host = canonical_host(home_site(org))
        if change.kind in ("organisation", "duties"):
            found.update(dict.fromkeys(organisation_addresses(org, host)))
            if change.kind == "organisation":
                found.update(dict.fromkeys(Address(host, reverse("portal:item", args=[pk]))
                                           for pk in cat.live_item_ids(org)))
                found.update(dict.fromkeys(site_addresses(host)))
            found.update(dict.fromkeys(_homes_listing(org, also=[reverse("portal:orgs")])))
        elif change.kind == "report":
            for other in published_sites():
                found.update(dict.fromkeys(report_list_addresses(other)))
            found.update(dict.fromkeys(report_addresses(org)))
            found.update(dict.fromkeys([Address(host, "/"), Address(host, reverse("portal:org", args=[org.code]))]))
    return list(found)


def page_addresses() -> list[Address]:
    """Every page of every site but the items' (a few per column and organisation), each once."""
    found: dict[Address, None] = {}
    for host in published_sites():
        found.update(dict.fromkeys([*site_addresses(host), *report_list_addresses(host)]))
    for org in org_sel.organisations_in_order():
        found.update(dict.fromkeys([*organisation_addresses(org), *report_addresses(org)]))
    return list(found)


def item_addresses() -> Iterator[Address]:
    """Every live item's page on its site, in id order, read in chunks."""
    hosts = {org.pk: canonical_host(home_site(org)) for org in org_sel.organisations_in_order()}
    for pk, org_id in cat.live_item_ids_with_organisation():
        yield Address(hosts[org_id], reverse("portal:item", args=[pk]))


# ---- writing ----------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What a pass did: pages rendered, files written (new or changed), files removed, files unchanged."""

    rendered: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: set[str] = field(default_factory=set)  # the files that hold a page after the pass


@contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time on a directory: passes run in the order they take the lock, each reading the
    database when it holds it, so the last pass's pages are the newest."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ValueError(f"{name!r} is outside the static site directory")
    return target


def write_file(root: Path, name: str, content: bytes) -> bool:
    """Write `content` as `name` unless the file already holds it; atomically (a reader sees the old file or
    the new one). True when written."""
    target = _target(root, name)
    try:
        if target.read_bytes() == content:
            return False
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    temporary.chmod(0o644)
    os.replace(temporary, target)
    return True


def remove_file(root: Path, name: str) -> bool:
    try:
        _target(root, name).unlink()
    except FileNotFoundError:
        return False
    return True


def publish(addresses: Iterable[Address], root: Path, outcome: Outcome | None = None,
            progress: Any = None) -> Outcome:
    """Render each address and bring its file up to date: written when changed, removed when the page is
    no longer public (and a column's later pages that its first pages no longer reach)."""
    outcome = outcome or Outcome()
    kept_pages: dict[str, set[str]] = {}
    for address in addresses:
        content = render(address)
        outcome.rendered += 1
        name = address.file_name
        if content is None:
            if remove_file(root, name):
                outcome.removed.append(name)
        else:
            outcome.kept.add(name)
            if write_file(root, name, content):
                outcome.written.append(name)
            else:
                outcome.unchanged += 1
        if address.list_head or (content is not None and address.query.startswith("after=")):
            kept_pages.setdefault(str(Path(name).parent), set()).add(Path(name).name)
        if progress is not None:
            progress.advance(1)
    # A column's later pages are named by cursor: those its first pages no longer lead to are stale.
    for folder, names in kept_pages.items():
        for stale in _target(root, folder).glob("after-*.html"):
            if stale.name not in names:
                stale.unlink(missing_ok=True)
                outcome.removed.append(f"{folder}/{stale.name}")
    return outcome


def remove_unaccounted(root: Path, kept: set[str]) -> list[str]:
    """After a rebuild: remove the files of this module's shapes that no page accounts for any more (not
    following the host names' links, which lead to directories walked under their own name)."""
    removed = []
    for folder, _dirs, files in os.walk(root):
        for file in files:
            path = Path(folder, file)
            name = path.relative_to(root).as_posix()
            if path.suffix in OWN_SUFFIXES and not file.startswith(".") and not path.is_symlink() and name not in kept:
                path.unlink()
                removed.append(name)
    return removed


def link_hosts(root: Path) -> list[str]:
    """Make each other host name of a site a link to its canonical host's directory, and remove the links of
    names no site has any more. A name whose directory holds a site's former pages (the platform's address
    before a main site was set up) becomes a link once nothing but empty folders is left in it (a rebuild removes
    the pages first); a directory with other files in it is left alone and reported in the log."""
    wanted = host_links()
    root.mkdir(parents=True, exist_ok=True)
    for entry in root.iterdir():
        if entry.is_symlink() and wanted.get(entry.name) != os.readlink(entry):
            entry.unlink()
    for name, host in wanted.items():
        link = root / name
        if link.is_symlink():
            continue
        if link.is_dir():
            if any(p.is_file() or p.is_symlink() for p in link.rglob("*")):
                logger.warning("static site: %s holds files, so it is not made a link to %s", link, host)
                continue
            shutil.rmtree(link)
        (root / host).mkdir(exist_ok=True)
        os.symlink(host, link)
    return sorted(wanted)


def rebuild(root: Path, stream: Any = None) -> tuple[Outcome, list[str]]:
    """Every page of every site rendered and written where it changed, the host names linked, then the files no
    page accounts for removed. With `stream`, a progress bar on it. Returns the pass and the files removed."""
    # One publication generation for the pass: the site table is read once, not once per page.
    with writer_lock(root), generation.request_generation():
        pages = page_addresses()
        progress = Progress(stream, len(pages) + cat.live_items().count(), "static-site") if stream else None
        outcome = publish(pages, root, progress=progress)
        outcome = publish(item_addresses(), root, outcome, progress=progress)
        if progress is not None:
            progress.finish()
        removed = remove_unaccounted(root, outcome.kept)
        link_hosts(root)
    return outcome, removed


# ---- after commit -----------------------------------------------------------------------------------------

@task()
def publish_changes(changes: list[dict[str, Any]]) -> dict[str, int]:
    """The task the worker runs after a change: rewrite the pages that show it (everything, when the site
    table changed)."""
    root = directory()
    if root is None:
        return {}
    if any(c["kind"] == "sites" for c in changes):
        outcome, removed = rebuild(root)
        outcome.removed += removed
    else:
        with writer_lock(root), generation.request_generation():
            outcome = publish(addresses_for(Change(c["kind"], c["pk"]) for c in changes), root)
    logger.info("static site: %d pages rendered, %d files written, %d removed", outcome.rendered,
                len(outcome.written), len(outcome.removed))
    return {"rendered": outcome.rendered, "written": len(outcome.written), "removed": len(outcome.removed)}


def _queue(changes: list[Change]) -> None:
    """core.public_changes listener: one task for what is public now, one per later moment."""
    if directory() is None:
        return
    now = timezone.now()
    by_moment: dict[Any, list[dict[str, Any]]] = {}
    for change in changes:
        moment = change.at if change.at is not None and change.at > now else None
        by_moment.setdefault(moment, []).append({"kind": change.kind, "pk": change.pk})
    for moment, batch in by_moment.items():
        try:
            if moment is None:
                publish_changes.enqueue(batch)
            else:
                publish_changes.using(run_after=moment).enqueue(batch)
        except Exception:  # the pages stay as they were until the next change or rebuild: say so loudly
            logger.exception("could not queue static publishing of %d changes", len(batch))


def _organisation_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    # An organisation's or column's name is on every page of the organisation (breadcrumbs, navigation).
    org_id = instance.pk if isinstance(instance, Organisation) else instance.organisation_id
    touched("duties" if isinstance(instance, DutyList) else "organisation", org_id)


def _site_saved(sender: Any, **kwargs: Any) -> None:
    # A site's name, address, host names, colours, conventions or navigation are on every page it serves, and
    # its address decides which directory holds its organisations' pages.
    touched("sites", 0)


def connect() -> None:
    """Listen for the services' changes, and for saves of organisations, columns, duty lists and sites, which
    the admin makes as well as the services."""
    listen(_queue)
    for model in (Organisation, Column, DutyList):
        label = model._meta.label_lower
        post_save.connect(_organisation_saved, sender=model, dispatch_uid=f"static-site-{label}-save")
        post_delete.connect(_organisation_saved, sender=model, dispatch_uid=f"static-site-{label}-delete")
    for site_model in (Site, SiteHost):
        label = site_model._meta.label_lower
        post_save.connect(_site_saved, sender=site_model, dispatch_uid=f"static-site-{label}-save")
        post_delete.connect(_site_saved, sender=site_model, dispatch_uid=f"static-site-{label}-delete")
    m2m_changed.connect(_site_saved, sender=Site.navigation.through, dispatch_uid="static-site-navigation")
