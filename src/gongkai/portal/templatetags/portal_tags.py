"""Template helpers for the portal: vocabulary labels, the header's organisations, safe body HTML."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from gongkai.catalog.vocabularies import GENRE_LABELS, TOPIC_LABELS
from gongkai.core.text import sanitize_html
from gongkai.orgs.models import Organisation

from .. import fragments

register = template.Library()


@register.filter
def topic_label(code: str) -> str:
    return TOPIC_LABELS.get(code, "")


@register.filter
def genre_label(code: str) -> str:
    return GENRE_LABELS.get(code, "")


@register.filter
def org_indent(org: Organisation) -> str:
    """Full-width spaces by depth, so a flat <select> still shows the tree."""
    return "\u3000" * max(org.depth, 0)


@register.filter
def public_html(value: str | None) -> SafeString:
    """The body as HTML. Bodies are sanitised when saved; sanitising again here costs little and also covers
    rows that arrived some other way (imports, fixtures, an admin edit)."""
    return mark_safe(sanitize_html(value or ""))  # noqa: S308 - sanitize_html is the allow-list gate


@register.simple_tag
def site_roots() -> list[Organisation]:
    """The organisations without a parent: the site's owners, named in the header of every page."""
    return fragments.site_roots()


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
