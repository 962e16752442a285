"""Rich text: sanitising what editors write, and its plain-text form."""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img", "hr", "span",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "p": {"style"},
    "span": {"style"},
}


def sanitize_html(value: str) -> str:
    """Rich text with scripts, event handlers, frames and javascript: links removed."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align", "text-indent"},
    )


_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_RE = re.compile(r"</(p|div|h[1-6]|li|tr|br)\s*>|<br\s*/?>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """The readable text of a rich-text body, one paragraph a line."""
    text = _BLOCK_RE.sub("\n", value or "")
    text = html.unescape(_TAG_RE.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


_HREF_RE = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def links_in(value: str) -> list[str]:
    return _HREF_RE.findall(value or "")
