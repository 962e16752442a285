"""Template helpers for the portal: vocabulary labels, the header's organisations, safe body HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gongkai.catalog.models import Column
from gongkai.catalog.vocabularies import GENRE_LABELS, TOPIC_LABELS
from gongkai.core.rich_text import sanitize_html
from gongkai.core.urls import reverse_cached
from gongkai.orgs.models import Organisation
from gongkai.sites import selectors as sites
from gongkai.sites.selectors import SiteInfo

from .. import fragments

register = template.Library()


@register.filter
def topic_label(code: str) -> str:
    return str(TOPIC_LABELS.get(code, ""))


@register.filter
def genre_label(code: str) -> str:
    return str(GENRE_LABELS.get(code, ""))


@register.filter
def org_indent(org: Organisation) -> str:
    """Full-width spaces by depth, so a flat <select> still shows the tree."""
    return "\u3000" * max(org.depth, 0)


@register.filter(expects_localtime=True)
def ymd(value: Any) -> str:
    """A date as 2024-03-01: what `|date:"Y-m-d"` gives (in the current time zone), without the general date
    formatter, which costs tens of microseconds a call and a list page makes forty."""
    if not isinstance(value, dt.date):
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@register.filter
def public_html(value: str | None) -> SafeString:
    """The body as HTML. Bodies are sanitised when saved; sanitising again here costs little and also covers
    rows that arrived some other way (imports, fixtures, an admin edit)."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - sanitize_html is the allow-list gate


@register.simple_tag
def breadcrumbs(crumbs: list[tuple[str, str | None]]) -> SafeString:
    """当前位置: the trail from the site's home to this page, each step a (label, address or None) pair. Built
    here rather than by an included template: every page shows one, uncached."""
    steps = format_html_join("", "&gt; {}\n  ", (
        (format_html('<a href="{}">{}</a>', url, label) if url else format_html('<span aria-current="page">{}</span>',
                                                                                  label),)
        for label, url in crumbs))
    return format_html('<nav class="breadcrumbs wrap" aria-label="{}">\n  {}<a href="{}">{}</a>\n  {}\n</nav>\n',
                       _("当前位置"), _("当前位置："), reverse_cached("portal:home"), _("首页"), steps)


@dataclass(frozen=True)
class Frame:
    """What the page frame (portal/base.html) shows around every public page.

    `name` is the site's name, said in one place (the top bar, the window title and the footer read it from
    here); `org` is the organisation the page belongs to, or the site's own for pages of the whole site, so
    that every page has the same header and menu. `site` is the site being served (its logo, colour and
    navigation), `main_url` the platform's main site (the top bar's 平台首页 when this is another site).
    """

    name: str
    roots: list[Organisation]
    org: Organisation | None
    site: SiteInfo
    navigation: list[Column]
    main_url: str
    navigation_current: int | None = None  # the navigation column the page belongs to (aria-current)


@register.simple_tag
def site_frame(site_org: Organisation | str | None, column: Column | str | None = None) -> Frame:
    """The frame of a public page. Reads only the cached chrome (fragments): no query per request."""
    site = fragments.site()
    org = site_org if isinstance(site_org, Organisation) else fragments.site_organisation()
    main = sites.main_site()
    navigation = fragments.navigation_columns()
    current = column.pk if isinstance(column, Column) and any(c.pk == column.pk for c in navigation) else None
    return Frame(name=site.name, roots=fragments.site_roots(), org=org, site=site, navigation=navigation,
                 main_url="" if site.is_main else main.base_url + "/", navigation_current=current)


class GenerationCacheNode(template.Node):
    def __init__(self, name: str, vary: list[template.base.FilterExpression], nodelist: template.NodeList) -> None:
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        parts = [_key_part(expression.resolve(context)) for expression in self.vary]
        key = f"chrome:{fragments.site().key}:{self.name}:{':'.join(parts)}"
        return fragments.memo(key, lambda: mark_safe(self.nodelist.render(context)))  # noqa: S308 - rendered, escaped


def _key_part(value: Any) -> str:
    if isinstance(value, Model):
        return f"{value._meta.label_lower}#{value.pk}"
    if value is None or value == "":
        return "-"
    if isinstance(value, str | int):
        return str(value)
    raise template.TemplateSyntaxError(f"generation_cache cannot vary on a {type(value).__name__}")


@register.tag
def generation_cache(parser: template.base.Parser, token: template.base.Token) -> GenerationCacheNode:
    """`{% generation_cache "name" value ... %}…{% endgeneration_cache %}`: the block rendered once per publication
    generation, site, language and values (models by key, strings, ints), then reused (portal.fragments.memo).

    For page chrome only: everything the block shows must come from organisations, columns, the site or the
    values named, never from the request (an address, a query, a cookie) or the clock."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("generation_cache needs a quoted name")
    nodelist = parser.parse(("endgeneration_cache",))
    parser.delete_first_token()
    return GenerationCacheNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, site_org: Organisation | str | None = None) -> str:
    """This page's address on the site it belongs to: an organisation's pages on that organisation's site,
    pages of the whole site on the site serving them. Search engines index that one, whichever host served it."""
    request = context.get("request")
    if request is None:
        return ""
    owner = fragments.site_of(site_org) if isinstance(site_org, Organisation) else fragments.site()
    return owner.absolute(request.path)


@register.simple_tag
def policy_column_url(org: Organisation | str | None) -> str:
    """Where the navigation's 政策文件 leads: the organisation's column for 条例 art. 20(1) documents
    if it has one, else the catalog browser."""
    # A page without a site organisation (e.g. the 404 page) passes the template engine's "" for it.
    if isinstance(org, Organisation):
        return fragments.policy_column_url(org)
    return reverse("portal:catalog")


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters changed (for the font size links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return "?" + encoded if encoded else "?"
