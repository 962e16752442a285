"""Rich text (富文本): sanitising what editors write, its plain-text form, its links.

Pure functions. `sanitize_html` is the one gate between an editor's HTML and the public page; the others read
HTML that has already been through it (or that came from an import) and never trust it to be well formed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.utils.translation import gettext

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "blockquote", "pre", "code",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img", "hr", "span", "div",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "figure", "figcaption",
}
# h1 is left out on purpose: the item's title is the page's only h1 (WCAG heading order).
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope", "style", "class"},
    "td": {"colspan", "rowspan", "style", "class"},
    "col": {"span"},
    "colgroup": {"span"},
    "p": {"style", "class"},
    "li": {"class"},
    "span": {"style"},
    "div": {"style"},
    "h2": {"style", "class"}, "h3": {"style", "class"}, "h4": {"style", "class"}, "h5": {"style", "class"},
    "h6": {"style", "class"},
}
# The editor aligns text with these classes rather than style attributes, which a strict Content-Security-Policy
# (style-src without 'unsafe-inline') would refuse on the public page; the portal's style sheet defines them.
ALIGNMENT_CLASSES = frozenset({"ta-left", "ta-center", "ta-right", "ta-justify"})
LINK_SCHEMES = {"http", "https", "mailto"}
IMAGE_SCHEMES = {"http", "https"}
# Images may also be the site's own attachments, which the portal serves only once their item is public;
# any other site-relative image path is refused so that an editor cannot make the page load e.g.
# /workspace/... actions from a reader's browser. /media/ itself is never served (drafts' files live there).
MEDIA_PREFIX = "/attachments/"
STYLE_PROPERTIES = {"text-align", "text-indent", "vertical-align"}


def _url_allowed(value: str, *, image: bool) -> bool:
    url = value.strip()
    if not url:
        return False
    # Protocol-relative "//host/x" would pass for site-relative; browsers read "\" as "/".
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return False
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme.lower() in (IMAGE_SCHEMES if image else LINK_SCHEMES)
    if image:
        return url.startswith(MEDIA_PREFIX)
    # Site-relative paths (/items/12/), page-relative paths, queries and fragments.
    return True


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if name in ALIGNMENT_CLASSES]
        return " ".join(kept) or None
    if attribute == "href" and element == "a":
        return value if _url_allowed(value, image=False) else None
    if attribute == "src" and element == "img":
        return value if _url_allowed(value, image=True) else None
    if attribute in {"colspan", "rowspan", "span", "width", "height"}:
        return value if value.strip().isdigit() and 0 < int(value) <= 10000 else None
    return value


def sanitize_html(value: str | None) -> str:
    """Rich text with only the formatting editors need (段落、标题、列表、表格、图片、链接).

    Removes script, style, frames, forms, event handlers, javascript:/data:/vbscript: URLs and
    protocol-relative addresses; keeps http(s) and mailto links, site-relative links (/items/12/), and
    images by http(s) or from /attachments/. Links get rel="noopener noreferrer".
    """
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties=STYLE_PROPERTIES,
        strip_comments=True,
    )


_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "hr", "table", "blockquote", "pre",
    "ul", "ol", "caption", "figure", "figcaption", "thead", "tbody", "tfoot", "section", "article",
}
_CELL_TAGS = {"td", "th"}
_SKIP_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "head", "title"}
_NOWHERE = (-1, -1)
# The characters str.splitlines() breaks at.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class _TextCollector(HTMLParser):
    """Collects readable text, each character with the range of the source it came from, and the URLs of links
    and images, ignoring script and style content."""

    def __init__(self, source: str, *, track_origins: bool = False) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.track_origins = track_origins
        self._line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self._line_starts.append(i + 1)
        self.chars: list[str] = []
        self.origins: list[tuple[int, int]] = []  # (start, end) in `source`; _NOWHERE for breaks we add
        self.hrefs: list[str] = []
        self.image_sources: list[str] = []
        self.attribute_values: list[str] = []
        self._skip_depth = 0

    def _here(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add(self, text: str, origin: tuple[int, int] = _NOWHERE) -> None:
        if not self.track_origins:
            self.chars.append(text)
            return
        self.chars.extend(text)
        self.origins.extend([origin] * len(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
            return
        if tag in _BLOCK_TAGS:
            self._add("\n")
        elif tag in _CELL_TAGS:
            self._add("\t")
        for name, attr_value in attrs:
            if attr_value is None:
                continue
            if tag == "a" and name == "href":
                self.hrefs.append(attr_value.strip())
            if tag == "img" and name == "src":
                self.image_sources.append(attr_value.strip())
            if name in {"href", "src", "alt", "title"}:
                self.attribute_values.append(attr_value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> and <img/> never open a skipped region.
        if tag in _SKIP_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag in _BLOCK_TAGS:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if not self.track_origins:
            self.chars.append(data)
            return
        start = self._here()
        for i, ch in enumerate(data):
            self.chars.append(ch)
            self.origins.append((start + i, start + i + 1))

    def _reference(self, written: str) -> None:
        if self._skip_depth:
            return
        if not self.track_origins:
            self.chars.append(html.unescape(written + (";" if self.source.startswith(";", self._here() + len(written)) else "")))
            return
        start = self._here()
        end = start + len(written)
        if self.source.startswith(";", end):
            written, end = written + ";", end + 1
        self._add(html.unescape(written), (start, end))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name}")


def _collect(value: str | None, *, track_origins: bool = False) -> _TextCollector:
    collector = _TextCollector(value or "", track_origins=track_origins)
    collector.feed(value or "")
    collector.close()
    return collector


def _plain(collector: _TextCollector) -> tuple[str, list[tuple[int, int]]]:
    """One paragraph a line, runs of white space as one space, empty lines dropped; with each character's origin."""
    out: list[str] = []
    origins: list[tuple[int, int]] = []
    line: list[str] = []
    line_origins: list[tuple[int, int]] = []
    space: tuple[int, int] | None = None

    def end_line() -> None:
        nonlocal space
        if line:
            if out:
                out.append("\n")
                origins.append(_NOWHERE)
            out.extend(line)
            origins.extend(line_origins)
            line.clear()
            line_origins.clear()
        space = None

    for ch, origin in zip(collector.chars, collector.origins, strict=True):
        if ch in _LINE_BREAKS:
            end_line()
        elif ch.isspace():  # \xa0 and \t included, as str.split() counts them
            if line and space is None:
                space = origin
        else:
            if space is not None:
                line.append(" ")
                line_origins.append(space)
                space = None
            line.append(ch)
            line_origins.append(origin)
    end_line()
    return "".join(out), origins


def html_to_text(value: str | None) -> str:
    """The plain text of a rich-text body (纯文本): one paragraph a line, table cells apart by spaces.

    Positions in it are what the pre-checks report for the body; `mark_spans` finds them again in the HTML.
    """
    # The same text as _plain() builds, at C speed (search indexes every body with it); a test holds them equal.
    text = "".join(_collect(value).chars)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def mark_spans(value: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`value` (HTML) with each (start, end, label) span of `html_to_text(value)` wrapped in
    <mark class="finding" data-finding="label">; a span across tags becomes one mark per run of text.

    For showing reviewers where pre-check findings are; the HTML's text is unchanged.
    """
    _, origins = _plain(_collect(value, track_origins=True))
    inserts: list[tuple[int, int, str]] = []  # (position, 0 for an opening / 1 for a closing tag, text)
    for start, end, label in spans:
        run: tuple[int, int] | None = None
        opening = f'<mark class="finding" data-finding="{html.escape(str(label))}">'
        for origin in [*origins[max(0, start) : max(0, end)], _NOWHERE]:
            # Characters apart only by white space the plain text collapsed stay in one mark.
            joined = run is not None and origin != _NOWHERE and origin[0] >= run[1]
            if run is not None and joined and not value[run[1] : origin[0]].strip():
                run = (run[0], origin[1])
                continue
            if run is not None:
                inserts += [(run[0], 0, opening), (run[1], 1, "</mark>")]
                run = None
            if origin != _NOWHERE:
                run = origin
    result = value
    # From the end, so earlier positions stay valid; at one position a closing tag goes before an opening one.
    for position, _kind, text in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        result = result[:position] + text + result[position:]
    return result


def links_in(value: str | None) -> list[str]:
    """The href of every <a> in `value`, in document order, character references decoded."""
    return _collect(value).hrefs


def image_sources(value: str | None) -> list[str]:
    """The src of every <img> in `value`, in document order, character references decoded."""
    return _collect(value).image_sources


def attribute_texts(value: str | None) -> list[str]:
    """Values of href, src, alt and title attributes: readable text that `html_to_text` leaves out."""
    return _collect(value).attribute_values


# Full-width ASCII (ＡＢＣ１２３) and the ideographic space fold to ASCII, Latin capitals to small
# letters; every character maps to exactly one character so positions in the folded text are positions in
# the original.
_FOLD_TABLE = {0xFF01 + i: ord(chr(0x21 + i).lower()) for i in range(0x5E)} | {0x3000: 0x20}
_FOLD_TABLE |= {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def fold_for_matching(text: str) -> str:
    """Full-width to half-width and Latin capitals to small letters, length-preserving (for word matching)."""
    return text.translate(_FOLD_TABLE)


# ---- what the gate drops, said to the person who pasted it --------------------------------------------------

# Office markup the editor leaves behind or a paste carries; dropping it loses nothing a reader sees.
_QUIET_TAGS = {"html", "head", "body", "meta", "link", "title", "font", "o:p", "xml", "section", "article", "main",
               "header", "footer", "nav", "aside", "small", "big", "center", "mark", "abbr", "cite", "q", "time",
               "label", "del", "ins", "tt", "kbd", "samp", "var", "dl", "dt", "dd", "address", "wbr"}
_LOCAL_IMAGE_SCHEMES = ("data:", "blob:", "file:")


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.handlers = 0
        self.unknown: list[str] = []
        self.bad_links = 0
        self.local_images = 0
        self.foreign_images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select"}:
            self.scripts += tag in {"script", "iframe", "object", "embed"}
            if tag not in {"script", "style"} and tag not in self.unknown:
                self.unknown.append(tag)
        elif tag not in ALLOWED_TAGS and tag not in _QUIET_TAGS and ":" not in tag and tag not in self.unknown:
            self.unknown.append(tag)
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.handlers += 1
            elif tag == "img" and name == "src":
                if value.lower().startswith(_LOCAL_IMAGE_SCHEMES):
                    self.local_images += 1
                elif not _url_allowed(value, image=True):
                    self.foreign_images += 1
            elif name == "href" and value and not _url_allowed(value, image=False):
                self.bad_links += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def local_images_in(value: str | None) -> int:
    """How many images in `value` are not on the site (data:, blob:, file: addresses): they would be lost."""
    inspector = _Inspector()
    inspector.feed(value or "")
    inspector.close()
    return inspector.local_images


def removed_by_sanitizer(value: str | None) -> list[str]:
    """What `sanitize_html` takes out of `value`, in Chinese, one sentence per kind (empty: nothing of note).

    Formatting that only Office needs (its fonts, its <o:p>, its styles) is not mentioned.
    """
    inspector = _Inspector()
    inspector.feed(value or "")
    inspector.close()
    notes = []
    if inspector.scripts:
        notes.append(gettext("已删除脚本或嵌入的外部内容 %(n)d 处。") % {"n": inspector.scripts})
    if inspector.handlers:
        notes.append(gettext("已删除事件属性（如 onclick）%(n)d 处。") % {"n": inspector.handlers})
    if inspector.bad_links:
        notes.append(gettext("已删除不安全的链接地址（如 javascript:）%(n)d 处，链接文字保留。") % {"n": inspector.bad_links})
    if inspector.foreign_images:
        notes.append(gettext("已删除不能显示的图片 %(n)d 张。") % {"n": inspector.foreign_images})
    if inspector.unknown:
        notes.append(gettext("已去掉不支持的标签：%(tags)s（其中的文字保留）。")
                     % {"tags": "、".join(f"<{t}>" for t in inspector.unknown[:8])})
    return notes


def text_to_html(text: str | None) -> str:
    """Plain text to rich text: each line a paragraph (what older plain-text fields become in the editor)."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in (text or "").splitlines() if line.strip())


def looks_like_html(value: str | None) -> bool:
    """True when `value` was written by the rich-text editor (or as HTML), False for older plain text."""
    return bool(re.match(r"\s*<(p|h[1-6]|ul|ol|table|figure|div|blockquote|pre|br|hr|img)\b", value or "", re.I))


def display_html(value: str | None) -> str:
    """Sanitised HTML for a text that may be rich text or older plain text (one paragraph a line)."""
    return sanitize_html(value) if looks_like_html(value) else text_to_html(value)
