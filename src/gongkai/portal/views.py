"""Public portal views: parse the request, read through catalog/orgs selectors, render. Nothing here writes.

Every lookup of an unknown or unpublished thing ends in Http404, never in an exception that becomes a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from gongkai.catalog import selectors as cat
from gongkai.catalog.forms import ItemForm
from gongkai.catalog.models import DutyList, DutyListVersion, Item
from gongkai.catalog.selectors import Page
from gongkai.catalog.vocabularies import GENRE_LABELS, GENRES, TOPIC_LABELS, TOPICS
from gongkai.core import ratelimit
from gongkai.core.middleware import client_address
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import OrganisationScope
from gongkai.reports import selectors as report_selectors
from gongkai.search import selectors as search_selectors
from gongkai.sites import selectors as sites
from gongkai.sites.models import Site
from gongkai.visits.attribution import count_as

from . import fragments
from .filters import parse_catalog_filters
from .tree import ancestors, column_tree, organisation_tree

FONT_SIZES = {"large": gettext_lazy("大"), "medium": gettext_lazy("中"), "small": gettext_lazy("小")}
LATEST_PER_COLUMN = 6


# ---- helpers ----------------------------------------------------------------------------------------------

def _org_or_404(code: str) -> Organisation:
    org = fragments.organisation(code)
    if org is None:
        raise Http404("unknown organisation")
    return org


def _elsewhere(request: HttpRequest, org: Organisation) -> HttpResponse | None:
    """A page of an organisation this site does not serve: moved permanently to its own site's address.

    The main site answers every organisation's path-based address; another site only its own organisations'."""
    site = fragments.site()
    if site.is_main or site.owns(org):
        return None
    return HttpResponsePermanentRedirect(fragments.site_of(org).absolute(request.get_full_path()))


def _page_or_404(page: Callable[[str | None], Page], cursor: str | None) -> Page:
    """A keyset page; a cursor that does not decode is a broken address: 404, not a silent page one."""
    found = page(cursor or None)
    if cursor and not found.has_previous:
        raise Http404("bad cursor")
    return found


def _org_crumbs(organisation: Organisation) -> list[tuple[str, str | None]]:
    return [(organisation.name, organisation.get_absolute_url())]


def _with_params(params: dict[str, str], **extra: str) -> str:
    return "?" + urlencode({**params, **extra})


# ---- pages ------------------------------------------------------------------------------------------------

@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The site's home page, in its layout: the portal's (latest of each kind, the organisations) or an
    organisation's columns (a department's site)."""
    site = fragments.site()
    own = fragments.site_organisation()
    if site.home_layout == Site.Layout.COLUMNS and own is not None and site.organisation_code:
        return _org_page(request, own, home=True)
    roots, tree_html, shortened = fragments.organisation_overview()
    count_as(request, "home", organisation=own if site.organisation_code else None)
    sections = {kind: cat.latest_live_of_kind(kind, scope=site.scope, limit=8) for kind in cat.HOME_KINDS}
    return render(request, "portal/home.html", {
        "roots": roots,
        "site_org": own,
        "website_report": report_selectors.latest_published(own, "website") if own is not None else None,
        "sections": sections,
        "interpreted": cat.interpreted_ids(sections["policy"]),
        "tree_html": mark_safe(tree_html),  # noqa: S308 - rendered by portal/_org_tree.html (autoescaped)
        "tree_shortened": shortened,
    })


@require_safe
def orgs(request: HttpRequest) -> HttpResponse:
    all_orgs = list(org_sel.organisations_in_order().filter(fragments.site().scope.q()))
    return render(request, "portal/orgs.html", {
        "site_org": None,
        "crumbs": [(_("机构列表"), None)],
        "tree": organisation_tree(all_orgs),
    })


@require_safe
def org(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _org_or_404(code)
    return _elsewhere(request, organisation) or _org_page(request, organisation)


def _org_page(request: HttpRequest, organisation: Organisation, *, home: bool = False) -> HttpResponse:
    count_as(request, "home" if home else "org", organisation=organisation)
    columns = list(cat.columns_of(organisation))
    tree = column_tree(columns)
    blocks = [
        (node, cat.page_of(cat.column_items(node.value), cursor=None, size=LATEST_PER_COLUMN).items)
        for node in tree
    ]
    return render(request, "portal/org.html", {
        "site_org": organisation,
        "org": organisation,
        "website_report": report_selectors.latest_published(organisation, "website"),
        "crumbs": [] if home else [(organisation.name, None)],
        "is_site_home": home,
        "column_tree": tree,
        "blocks": blocks,
        "duty_lists": cat.published_duty_lists(organisation),
        "children": [o for o in org_sel.subtree(organisation) if o.parent_id == organisation.pk],
    })


@require_safe
def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    organisation = _org_or_404(code)
    moved = _elsewhere(request, organisation)
    if moved is not None:
        return moved
    columns = fragments.active_columns(organisation)
    col = next((c for c in columns if c.slug == slug), None)  # cat.column_by_slug, without a query
    if col is None:
        raise Http404("unknown column")
    count_as(request, "column", organisation=organisation, column=col)
    child_ids = fragments.column_child_ids(col)
    page = _page_or_404(lambda cursor: cat.column_page(col, child_ids, cursor=cursor), request.GET.get("after"))
    return render(request, "portal/column.html", {
        "site_org": organisation,
        "org": organisation,
        "column": col,
        "column_tree": column_tree(columns),
        "crumbs": [
            *_org_crumbs(organisation),
            *[(c.name, c.get_absolute_url()) for c in ancestors(col, columns)],
            (col.name, None),
        ],
        "sub_columns": [c for c in columns if c.parent_id == col.pk],
        "page": page,
        "next_query": _with_params({}, after=page.next_cursor) if page.next_cursor else "",
        "first_query": col.get_absolute_url(),
    })


@require_safe
def item(request: HttpRequest, pk: int) -> HttpResponse:
    entry = cat.live_item(pk)
    if entry is None:
        raise Http404("no such public item")
    moved = _elsewhere(request, entry.organisation)
    if moved is not None:
        return moved
    count_as(request, "item", organisation=entry.organisation, column=entry.column, item=entry)
    return _item_page(request, entry, cat.public_attachments(entry), list(cat.live_interpretations(entry)))


def _item_page(
    request: HttpRequest, entry: Item, attachments: list[Any], interpretations: list[Item], *, preview: bool = False
) -> HttpResponse:
    policy = cat.live_item(entry.interprets_id) if entry.interprets_id else None
    # A copy taken from another site (信息报送): it names its source, whose page is the canonical one.
    source = cat.live_item(entry.copy_of_id) if entry.copy_of_id else None
    columns = fragments.active_columns(entry.organisation)
    font_size = request.GET.get("fs", "medium")
    return render(request, "portal/item.html", {
        "site_org": entry.organisation,
        "org": entry.organisation,
        "item": entry,
        "column": entry.column,
        "crumbs": [
            *_org_crumbs(entry.organisation),
            *[(c.name, c.get_absolute_url()) for c in ancestors(entry.column, columns)],
            (entry.column.name, entry.column.get_absolute_url()),
            (_("正文"), None),
        ],
        "attachments": attachments,
        "interpretations": interpretations,
        "policy": policy,
        "source": source,
        "source_url": fragments.site_of(source.organisation).absolute(source.get_absolute_url()) if source else "",
        "font_size": font_size if font_size in FONT_SIZES else "medium",
        "font_sizes": FONT_SIZES,
        "print_mode": request.GET.get("print") == "1",
        "preview": preview,
    })


@login_required(login_url="workspace:login")
def item_preview(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """预览: an item as its public page will show it, for its office's staff: the saved working copy (GET), or
    the edit form as it stands, unsaved (POST from the form's 预览 button). Never public, never counted."""
    item = cat.item_for_staff(request.user, pk) if pk is not None else None
    if pk is not None and item is None:
        raise Http404("no such item")
    code = request.POST.get("org", "")
    org = item.organisation if item is not None else org_sel.organisation_for(request.user, code, org_sel.EDIT)
    if org is None:
        raise Http404("no organisation to preview for")
    data = None
    if request.method == "POST":
        form = ItemForm(request.POST, organisation=org, item=item)
        if not form.is_valid():
            return render(request, "portal/item_preview_errors.html", {"form": form}, status=400)
        data = form.service_data()
    preview = cat.item_preview(org, item, data)
    if preview is None:
        raise Http404("nothing to preview")
    response = _item_page(request, preview.item, preview.attachments, preview.interpretations, preview=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An item's attachment or body picture: to everyone once public, before that to the office's staff only."""
    found = cat.attachment_for(pk, request.user)
    if found is None:
        raise Http404("no such public attachment")
    att, public = found
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:  # the row outlived its file: missing, not a server fault
        raise Http404("file missing") from exc
    # FileResponse writes filename*=utf-8''... (RFC 5987) for the Chinese original name. Body pictures are
    # shown in the page; files are downloaded.
    response = FileResponse(
        handle, as_attachment=att.purpose != att.Purpose.BODY_IMAGE, filename=att.original_name,
        content_type=att.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not public:  # a draft's file: never kept by a shared cache
        response["Cache-Control"] = "private, no-store"
    return response


def _page_number(text: str) -> int | None:
    """A page number as typed in an address: 1 to 999999, else None."""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 7 else None


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """目录浏览: numbered pages with a bounded count (catalog.selectors.COUNT_CAP); past the numbered pages,
    下一页 goes on by keyset (`after`). A page that does not exist is answered 404, saying so."""
    parsed = parse_catalog_filters(request.GET, fragments.site().scope)
    qs = cat.browse_table(parsed.filters)
    context: dict[str, Any] = {
        "site_org": None,
        "parsed": parsed,
        "crumbs": [(_("政府信息公开目录"), None)],
        "values": parsed.values,
        "first_query": _with_params(parsed.values),
        "organisation_options": fragments.organisation_options(parsed.filters.organisation),
        "columns": fragments.active_columns(parsed.filters.organisation) if parsed.filters.organisation else [],
        "topic_options": fragments.select_options("topic", lambda: TOPICS, parsed.values.get("topic", "")),
        "genre_options": fragments.select_options("genre", lambda: GENRES, parsed.values.get("genre", "")),
        "year_options": fragments.select_options("year", lambda: ((y, y) for y in cat.live_year_range()),
                                                 parsed.values.get("year", "")),
        "validity_options": fragments.select_options("validity", lambda: Item.Validity.choices,
                                                     parsed.values.get("validity", "")),
    }
    after = request.GET.get("after")
    if after:
        page = _page_or_404(lambda cursor: cat.page_of(qs, cursor=cursor), after)
        context.update(page=page, next_query=_with_params(parsed.values, after=page.next_cursor)
                       if page.next_cursor else "")
        return render(request, "portal/catalog.html", context)
    # One count per filter per publication generation, shared by all its pages (fragments.memo keeps it no
    # longer than a cached page, so never past a scheduled go-live).
    total = fragments.memo(f"catalog-count:{fragments.site().key}:" + urlencode(sorted(parsed.values.items())),
                           lambda: cat.bounded_count(qs))
    number = _page_number(request.GET.get("page", "1"))
    numbered = cat.numbered_page(qs, number, total=total) if number is not None else None
    if numbered is None:
        last = cat.numbered_page(qs, 1, total=total)
        assert last is not None  # page one always exists, if empty
        context.update(asked=request.GET.get("page", ""), page_count=last.page_count, total=last.total,
                       last_query=_with_params(parsed.values, page=str(last.page_count)),
                       crumbs=[(_("政府信息公开目录"), context["first_query"]), (_("页面不存在"), None)])
        return render(request, "portal/catalog_no_page.html", context, status=404)
    context.update(
        page=numbered,
        page_links=[(n, _with_params(parsed.values, page=str(n)) if n else "") for n in numbered.numbers],
        previous_query=_with_params(parsed.values, page=str(numbered.number - 1)) if numbered.number > 1 else "",
        next_query=(_with_params(parsed.values, page=str(numbered.number + 1)) if numbered.has_next
                    else _with_params(parsed.values, after=numbered.next_cursor) if numbered.next_cursor else ""),
    )
    return render(request, "portal/catalog.html", context)


def _search_scope(request: HttpRequest, values: dict[str, str], notices: list[str]) -> OrganisationScope:
    """What the search covers: a site's own organisations; the platform's search (the main site, or a site set to
    search the platform) everything, or the site picked in its 网站 filter."""
    site = fragments.site()
    if not site.platform_search:
        return site.scope
    picked = request.GET.get("site", "").strip()
    if not picked:
        return OrganisationScope()
    chosen = sites.site_by_pk(int(picked)) if picked.isascii() and picked.isdigit() and len(picked) < 10 else None
    if chosen is None:
        notices.append(_("未找到所选网站，已忽略该条件。"))
        return OrganisationScope()
    values["site"] = picked
    # The chosen site's own organisations, even when it is the main site (which otherwise shows them all).
    return OrganisationScope(chosen.organisation_path, chosen.excluded_paths, exact=not chosen.includes_subtree)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """站内搜索: full text with highlighted snippets, the catalog's filters, and facet counts. A site searches its
    own organisations; the platform's search all of them, with a 网站 and an organisation filter."""
    site = fragments.site()
    parsed = parse_catalog_filters(request.GET, None if site.platform_search else site.scope)
    scope = _search_scope(request, parsed.values, parsed.notices)
    query = parsed.filters.query
    org = parsed.filters.organisation
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isascii() and page_text.isdigit() and len(page_text) < 6 else 0
    if not 1 <= page <= search_selectors.MAX_PAGE:
        raise Http404("no such page")
    if query:  # a lookup like the others: at most so many a minute from one address (429 beyond)
        ratelimit.hit("search", client_address(request),
                      ratelimit.limits_from_setting("SEARCH_RATE_LIMITS", [(120, 60), (3000, 86400)]))
    results = search_selectors.search(query, search_selectors.Filters(
        organisation_path=org.path if org is not None else scope.path,
        excluded_paths=scope.excluded, exact_path=scope.exact and org is None,
        excluded_kinds=() if not scope.is_everything else search_selectors.PLATFORM_EXCLUDED_KINDS,
        topic=parsed.filters.topic, genre=parsed.filters.genre, year=parsed.filters.year,
        validity=parsed.filters.validity,
    ), page=page) if query else None
    facets = search_facets(results, parsed.values) if results else []
    return render(request, "portal/search/results.html", {
        "site_org": None,
        "query": query,
        "crumbs": [(_("站内搜索"), None)],
        "parsed": parsed,
        "results": results,
        "facets": facets,
        "site_choices": [(str(s.pk), s.name) for s in sites.all_sites() if s.pk is not None]
        if site.platform_search else [],
        "next_query": _with_params(parsed.values, page=str(results.page + 1)) if results and results.has_next else "",
        "previous_query": _with_params(parsed.values, page=str(results.page - 1)) if results and results.page > 1 else "",
    })


def search_facets(results: search_selectors.Results, values: dict[str, str]) -> list[tuple[str, list[tuple[str, int, str, bool]]]]:
    """Facet groups for the template: (heading, [(label, count, address that toggles it, chosen)])."""
    labels = org_sel.short_names_and_codes([int(k) for k, _ in results.facets.get("organisation", [])])
    org_names = {pk: name for pk, (name, _code) in labels.items()}
    org_codes = {pk: code for pk, (_name, code) in labels.items()}
    groups = []
    for key, heading, param, label in (
        ("organisation", _("发布机构"), "organisation", lambda v: org_names.get(int(v)) or v),
        ("topic", _("主题分类"), "topic", lambda v: TOPIC_LABELS.get(v, v)),
        ("genre", _("体裁"), "genre", lambda v: GENRE_LABELS.get(v, v)),
        ("year", _("年份"), "year", str),
        ("validity", _("有效性"), "validity", lambda v: dict(Item.Validity.choices).get(v, v)),
    ):
        entries = []
        for value, count in results.facets.get(key, []):
            param_value = org_codes.get(int(value), "") if key == "organisation" else value
            chosen = values.get(param) == param_value
            params = {k: v for k, v in values.items() if k != param}
            if not chosen:
                params[param] = param_value
            entries.append((str(label(value)), count, _with_params(params), chosen))
        if entries:
            groups.append((heading, entries))
    return groups


@require_safe
def guide(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _org_or_404(code)
    moved = _elsewhere(request, organisation)
    if moved is not None:
        return moved
    count_as(request, "guide", organisation=organisation)
    return render(request, "portal/guide.html", {
        "site_org": organisation,
        "org": organisation,
        "crumbs": [*_org_crumbs(organisation), (_("政府信息公开指南"), None)],
        "column_tree": column_tree(cat.columns_of(organisation)),
        "duty_lists": cat.published_duty_lists(organisation),
    })


def _duty_list_or_404(organisation: Organisation, kind: str) -> DutyList:
    if kind not in DutyList.Kind.values:
        raise Http404("unknown kind")
    dl = cat.duty_list_of(organisation, kind)
    if dl is None or dl.live_version is None or not dl.live_version.is_live:
        raise Http404("no published list")
    return dl


@require_safe
def duty_lists(request: HttpRequest, code: str) -> HttpResponse:
    organisation = _org_or_404(code)
    moved = _elsewhere(request, organisation)
    if moved is not None:
        return moved
    count_as(request, "duty_list", organisation=organisation)
    return render(request, "portal/duty_lists.html", {
        "site_org": organisation,
        "org": organisation,
        "crumbs": [*_org_crumbs(organisation), (_("权责清单"), None)],
        "duty_lists": cat.published_duty_lists(organisation),
    })


def _render_duty_version(
    request: HttpRequest, organisation: Organisation, dl: DutyList, version: DutyListVersion
) -> HttpResponse:
    count_as(request, "duty_list", organisation=organisation)
    return render(request, "portal/duty_list.html", {
        "site_org": organisation,
        "org": organisation,
        "duty_list": dl,
        "crumbs": [
            *_org_crumbs(organisation),
            (_("权责清单"), reverse("portal:duty_lists", kwargs={"code": organisation.code})),
            (f"{dl.title}（{version.label}）", None),
        ],
        "version": version,
        "is_current": version.pk == dl.live_version_id,
        "entries": cat.duty_entries(version),
        "versions": cat.published_duty_versions(dl),
    })


@require_safe
def duty_list(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    organisation = _org_or_404(code)
    moved = _elsewhere(request, organisation)
    if moved is not None:
        return moved
    dl = _duty_list_or_404(organisation, kind)
    assert dl.live_version is not None  # _duty_list_or_404 checked it
    return _render_duty_version(request, organisation, dl, dl.live_version)


@require_safe
def duty_list_version(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    organisation = _org_or_404(code)
    moved = _elsewhere(request, organisation)
    if moved is not None:
        return moved
    dl = _duty_list_or_404(organisation, kind)
    version = cat.published_duty_version(dl, pk)
    if version is None:
        raise Http404("no such published version")
    return _render_duty_version(request, organisation, dl, version)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /workspace/",
        "Disallow: /admin/",
        # Search result pages are endless combinations of the same items; the sitemap lists each item once.
        "Disallow: /search/",
        f"Sitemap: {fragments.site().absolute('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

