"""静态发布 (static publishing): the public pages that are the same for every visitor, written as files.

Turned on by GONGKAI_STATIC_SITE_DIR. The web server (nginx, docs/operator-guide.md) answers an address from
that directory when its file exists and the request carries no query and no cookie that changes the page,
and passes everything else (search, the catalog's filters, forms, tracking, staff pages, display modes) to
the application. The public site then stays up when the application is down, and a page is rendered once
per change instead of once per visitor.

Which files: the home page, the organisation list, each organisation's page, guide and duty lists (with
their published versions), each column's first pages (GONGKAI_STATIC_SITE_LIST_PAGES of them, default 10:
the pages after those are served by the application, since every keyset page boundary moves when an item is
added at the top), the column feeds, each live item, the annual reports, robots.txt and the sitemaps.

When: the services that publish, edit or withdraw tell core.public_changes what they touched; after their
transaction commits, the task `publish_changes` renders the pages that show it and writes those whose bytes
changed (a file that would not change is left alone, so its modification time means something), and removes
the file of a page that is no longer public (a withdrawn item: its page is gone and its lists are rewritten
in the same pass). A change scheduled for later (定时发布) is written at its moment. `gongkai static-site`
rebuilds everything and removes what no page accounts for.

Each page is rendered by its own view, as an anonymous visitor without cookies sees it at the site's public
address (GONGKAI_SITE_URL), so a file holds exactly what the application would answer. Files are replaced
atomically (written beside, then renamed), and one writer at a time works on a directory (a lock file), so a
slow older pass cannot overwrite a newer one's file with an older page.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django_tasks import task

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import Column, DutyList
from gongkai.core.public_changes import Change, listen, touched
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.reports import selectors as report_selectors

from . import sitemaps
from .tree import ancestors

logger = logging.getLogger(__name__)

LOCK_NAME = ".gongkai-static-site.lock"
# What a rebuild may remove: only files of the shapes this module writes (the directory may hold others).
OWN_SUFFIXES = (".html", ".xml", ".txt")


@dataclass(frozen=True, order=True)
class Address:
    """A public address: a path and, for the further pages of a list, its one query parameter."""

    path: str
    query: str = ""
    list_head: bool = False  # a column's first page: its later pages are files beside it

    @property
    def file_name(self) -> str:
        """Where the page lives in the directory, as the nginx configuration looks for it: `index.html` in
        the path's folder, `after-<cursor>.html` beside it for a column's later page, `<name>-p<N>.xml` for a
        sitemap's page N."""
        relative = unquote(self.path).lstrip("/")  # nginx looks files up by the decoded path
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


# ---- rendering -------------------------------------------------------------------------------------------

def _request(address: Address) -> Any:
    site = urlsplit(settings.SITE_URL)
    request = RequestFactory().get(
        address.path, QueryDict(address.query), HTTP_HOST=site.netloc or "localhost",
        secure=site.scheme == "https", HTTP_USER_AGENT="gongkai static-site",
    )
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = settings.LANGUAGE_CODE
    request.COOKIES = {}
    return request


def render(address: Address) -> bytes | None:
    """The page as the application answers an anonymous visitor, or None when it is not a public page that
    every visitor sees alike (404, a redirect, a form with its CSRF token, a page marked private)."""
    try:
        match = resolve(address.path)
    except Resolver404:
        return None
    request = _request(address)
    request.resolver_match = match  # as the URL handler sets it: the templates read it (the current page)
    with translation.override(settings.LANGUAGE_CODE):
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

def site_addresses() -> list[Address]:
    """Pages that any change may touch: home, the organisation list, robots.txt and the sitemaps."""
    return [Address("/"), Address(reverse("portal:orgs")), Address(reverse("portal:robots")), *sitemap_addresses()]


def sitemap_addresses(from_item: int | None = None) -> list[Address]:
    """/sitemap.xml, and when it is an index, its sections' pages: every page, or for an item's change only
    the items pages from the one that lists it to the last (items are listed by id, so a new one changes
    only the last page; a withdrawn one moves the ones after it)."""
    addresses = [Address(reverse("portal:sitemap"))]
    sections = sitemaps._sections()
    if not sitemaps.needs_index(sections):
        return addresses
    for name, section in sections.items():
        path = reverse("portal:sitemap_section", kwargs={"section": name})
        pages = range(1, section.paginator.num_pages + 1)  # type: ignore[union-attr]
        if name == "items" and from_item is not None:
            first = cat.live_items().filter(pk__lt=from_item).count() // sitemaps.SITEMAP_LIMIT + 1
            pages = range(first, pages.stop)
        addresses.extend(Address(path, f"p={p}" if p > 1 else "") for p in pages)
    return addresses


def column_addresses(column: Column) -> list[Address]:
    """A column's first list_pages() pages (the first without a query, then by keyset cursor) and feeds."""
    base = column.get_absolute_url()
    addresses = [Address(base, list_head=True)]
    items = cat.column_items(column)
    cursor: str | None = None
    for _ in range(list_pages() - 1):
        cursor = cat.page_of(items, cursor=cursor).next_cursor
        if cursor is None:
            break
        addresses.append(Address(base, f"after={cursor}"))
    kwargs = {"code": column.organisation.code, "slug": column.slug}
    addresses += [Address(reverse("portal:column_rss", kwargs=kwargs)),
                  Address(reverse("portal:column_atom", kwargs=kwargs))]
    return addresses


def organisation_addresses(org: Organisation) -> list[Address]:
    """An organisation's own pages: its page, guide, duty lists and their published versions, its columns."""
    code = org.code
    addresses = [Address(reverse("portal:org", args=[code])), Address(reverse("portal:guide", args=[code])),
                 Address(reverse("portal:duty_lists", args=[code]))]
    for duty_list in cat.published_duty_lists(org):
        addresses.append(Address(reverse("portal:duty_list", args=[code, duty_list.kind])))
        addresses += [Address(reverse("portal:duty_list_version", args=[code, duty_list.kind, v.pk]))
                      for v in cat.published_duty_versions(duty_list)]
    for column in cat.columns_of(org).select_related("organisation"):
        addresses += column_addresses(column)
    return addresses


def report_addresses() -> list[Address]:
    """Every page of the annual reports (a few per organisation and year), and the open-data page."""
    addresses = [Address(reverse("portal_reports:list")), Address(reverse("portal_reports:website_list")),
                 Address(reverse("portal:data"))]
    for report in report_selectors.published_reports():
        code = report.organisation.code
        addresses += [Address(reverse("portal_reports:org", args=[code])),
                      Address(reverse("portal_reports:report", args=[code, report.year]))]
    for report in report_selectors.published_reports("website"):
        code = report.organisation.code
        addresses += [Address(reverse("portal_reports:website_org", args=[code])),
                      Address(reverse("portal_reports:website_report", args=[code, report.year]))]
    return addresses


def item_address(pk: int) -> Address:
    return Address(reverse("portal:item", args=[pk]))


def item_change_addresses(pk: int) -> list[Address]:
    """What shows an item: its page, its policy's or interpretations' pages, its column and the columns above
    (their lists include their children's items), its organisation's page, the home page and the sitemaps."""
    addresses = [item_address(pk)]
    item = cat.item_placement(pk)
    if item is None:
        return addresses
    if item.interprets_id:
        addresses.append(item_address(item.interprets_id))
    addresses += [item_address(i) for i in cat.live_interpretations(item).values_list("pk", flat=True)]
    columns = list(cat.columns_of(item.organisation))
    for column in [item.column, *ancestors(item.column, columns)]:
        column.organisation = item.organisation
        addresses += column_addresses(column)
    addresses.append(Address(reverse("portal:org", args=[item.organisation.code])))
    addresses += [Address("/"), *sitemap_addresses(from_item=pk)]
    return addresses


def addresses_for(changes: Iterable[Change]) -> list[Address]:
    """Every page a set of changes touches, each once, in a stable order."""
    found: dict[Address, None] = {}
    for change in changes:
        if change.kind == "item":
            found.update(dict.fromkeys(item_change_addresses(change.pk)))
        elif change.kind in ("organisation", "duties"):
            org = org_sel.organisation_by_pk(change.pk)
            if org is not None:
                found.update(dict.fromkeys(organisation_addresses(org)))
                if change.kind == "organisation":
                    found.update(dict.fromkeys(item_address(pk) for pk in cat.live_item_ids(org)))
            found.update(dict.fromkeys(site_addresses()))
        elif change.kind == "report":
            found.update(dict.fromkeys([*report_addresses(), *site_addresses()]))
            org = org_sel.organisation_by_pk(change.pk)
            if org is not None:
                found[Address(reverse("portal:org", args=[org.code]))] = None
    return list(found)


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
    """After a rebuild: remove the files of this module's shapes that no page accounts for any more."""
    removed = []
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in OWN_SUFFIXES and not path.name.startswith(".") and name not in kept:
            path.unlink()
            removed.append(name)
    return removed


# ---- after commit -----------------------------------------------------------------------------------------

@task()
def publish_changes(changes: list[dict[str, Any]]) -> dict[str, int]:
    """The task the worker runs after a change: rewrite the pages that show it."""
    root = directory()
    if root is None:
        return {}
    with writer_lock(root):
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


def connect() -> None:
    """Listen for the services' changes, and for saves of organisations, columns and duty lists, which the
    admin makes as well as the services."""
    listen(_queue)
    for model in (Organisation, Column, DutyList):
        label = model._meta.label_lower
        post_save.connect(_organisation_saved, sender=model, dispatch_uid=f"static-site-{label}-save")
        post_delete.connect(_organisation_saved, sender=model, dispatch_uid=f"static-site-{label}-delete")
