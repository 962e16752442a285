"""Pieces many public pages share, read once per publication generation instead of on every page render.

The page cache (page_cache.py) saves whole pages, but each distinct address (an item, a column's deep page, a
catalog filter pair, a search) still renders once: at 1,000,000 items most visits are such first renders. Their
chrome (the site's owners in the header, the footer conventions, the 政策文件 link, the organisation and its
columns, the home page's organisation tree, the catalog's organisation list) depends only on organisations and
columns, which change rarely and always advance the generation (page_cache.connect_signals). So it is kept here
under the same rules as pages: keyed by the generation, living at most as long as a cached page may
(page_cache.entry_lifetime: GONGKAI_PAGE_CACHE_SECONDS, never past a scheduled go-live), off when that is 0.

The generation is read once per request (the middleware sets it for the request, lazily) and shared by the page
cache and every fragment. Values are pickled by the local-memory cache, so a caller may change what it gets.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.locmem import LocMemCache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import Column
from gongkai.core.generation import generation
from gongkai.core.generation import request_generation as request_generation  # the page cache opens it
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.sites import selectors as sites
from gongkai.sites.selectors import SiteInfo, current_site

from .tree import organisation_tree

T = TypeVar("T")

store = LocMemCache("gongkai-fragments", {"OPTIONS": {"MAX_ENTRIES": 5000}})
_MISSING = object()


def memo(name: str, build: Callable[[], T]) -> T:
    """`build()`, or its value from this generation if one was kept. `name` must identify everything it reads."""
    from .page_cache import cache_seconds, entry_lifetime  # page_cache imports this module

    if cache_seconds() <= 0:
        return build()
    key = f"{generation()}:{get_language()}:{name}"
    found = store.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = build()
    lifetime = entry_lifetime(timezone.now())
    if lifetime > 0:
        store.set(key, value, lifetime)
    return value


# ---- the shared reads -------------------------------------------------------------------------------------
# Each reads organisations or columns only (never items, whose visibility also depends on the clock).


def organisation(code: str) -> Organisation | None:
    return memo(f"org:{code}", lambda: org_sel.organisation_by_code(code))


def site_roots() -> list[Organisation]:
    """The organisations without a parent (the platform's owners)."""
    return memo("roots", lambda: list(org_sel.organisations_in_order().filter(parent__isnull=True)))


def site() -> SiteInfo:
    """The site being served (gongkai.sites: resolved once per request from the host name)."""
    return current_site()


def site_name() -> str:
    """The site's name (网站名称), e.g. 明川市科学技术局网站; the platform's is its owners' names and 政务公开平台."""
    return site().name


def site_organisation() -> Organisation | None:
    """The organisation the site being served belongs to; on the platform's own site, its first owner."""
    current = site()
    if current.organisation_code:
        return organisation(current.organisation_code)
    roots = site_roots()
    return roots[0] if roots else None


def site_of(org: Organisation) -> SiteInfo:
    """The site `org`'s pages belong to (their canonical address)."""
    return sites.site_of(org)


def active_columns(org: Organisation) -> list[Column]:
    """cat.columns_of(org) as a list, each column's organisation set (its address needs the code)."""
    return memo(f"columns:{org.pk}", lambda: cat.active_columns_of(org))


def column_child_ids(column: Column) -> list[int]:
    return memo(f"column-children:{column.pk}", lambda: cat.child_column_ids(column))


def policy_column_url(org: Organisation) -> str:
    """The organisation's column for 条例 art. 20(1) documents, else the catalog filtered to it."""
    def build() -> str:
        for column in active_columns(org):
            if column.statutory_category == "art20_1":
                return column.get_absolute_url()
        return reverse("portal:catalog") + f"?organisation={org.code}"

    return memo(f"policy-url:{org.pk}", build)


def _site_overview() -> tuple[list[Organisation], bool]:
    """The organisations the site being served lists at a glance (all of them on the platform's own site)."""
    scope = site().scope
    orgs, shortened = org_sel.organisations_overview(scope=scope)
    return orgs, shortened


def organisation_overview() -> tuple[list[Organisation], str, bool]:
    """The home page's organisations: (the top ones, the tree as HTML, whether it is shortened)."""
    def build() -> tuple[list[Organisation], str, bool]:
        orgs, shortened = _site_overview()
        ids = {o.pk for o in orgs}
        roots = [o for o in orgs if o.parent_id not in ids]
        tree = organisation_tree(orgs)
        html = render_to_string("portal/_org_tree.html", {"nodes": tree}) if tree else ""
        return roots, html, shortened

    return memo(f"overview:{site().key}", build)


def organisation_options(chosen: Organisation | None) -> SafeString:
    """The catalog's organisation picker's <option> elements, `chosen` selected (and listed even when it is deeper
    than the overview goes). Rendered and joined once per generation, not per page: kept as one string, which the
    fragment store hands back without rebuilding two thousand options."""
    html = memo(f"organisation-options:{site().key}", lambda: "".join(_option(o) for o in _site_overview()[0]))
    if chosen is None:
        return mark_safe(html)  # noqa: S308 - built by format_html, which escapes every value
    plain = _option(chosen)
    if plain in html:  # its value attribute (a unique code) makes the option unique
        return mark_safe(html.replace(plain, _option(chosen, selected=True), 1))  # noqa: S308 - as above
    paths = memo(f"organisation-option-paths:{site().key}", lambda: [o.path for o in _site_overview()[0]])
    options = html.split("</option>")[:-1]
    options.insert(bisect.bisect(paths, chosen.path), _option(chosen, selected=True)[: -len("</option>")])
    return mark_safe("".join(f"{option}</option>" for option in options))  # noqa: S308 - as above


def _option(org: Organisation, *, selected: bool = False) -> str:
    """One <option>, as catalog.html wrote it: the name indented by depth (full-width spaces)."""
    return format_html('<option value="{}"{}>{}{}</option>', org.code, " selected" if selected else "",
                       "\u3000" * max(org.depth, 0), org.name)


def select_options(name: str, choices: Callable[[], Iterable[tuple[Any, Any]]], chosen: str) -> SafeString:
    """The <option> elements of one of a filter form's lists (`choices()`: value, label), the one whose value is
    `chosen` selected. Escaped and joined once per generation and language instead of a template loop per page."""
    options = memo(f"options:{name}", lambda: [
        (str(value), format_html('<option value="{}">{}</option>', value, label),
         format_html('<option value="{}" selected>{}</option>', value, label)) for value, label in choices()
    ])
    return mark_safe("".join(on if value == chosen else off for value, off, on in options))  # noqa: S308 - format_html


def navigation_columns() -> list[Column]:
    """The site's navigation columns (导航栏目), in their order, each with its organisation set."""
    current = site()
    if not current.navigation:
        return []

    def build() -> list[Column]:
        wanted = list(current.navigation)
        found = cat.column_names(wanted)
        return [found[pk] for pk in wanted if pk in found and found[pk].is_active]

    return memo(f"navigation:{current.key}", build)
