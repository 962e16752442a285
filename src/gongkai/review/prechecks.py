"""Automatic pre-publication checks (发布前自动预检): personal data, sensitive words, dead internal links.

Pure functions over the text of a submission; the review services store the findings and let them block the
secrecy step. Nothing here touches the database or the network: the catalog supplies `link_checker`, the
organisation's configuration supplies the sensitive words.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Literal
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext

from gongkai.core.personal_data import KIND_LABELS, Finding, find_personal_data, mask_text, masked_excerpt
from gongkai.core.text import attribute_texts, fold_for_matching, html_to_text, links_in


class FindingKind(enum.StrEnum):
    PERSONAL_DATA = "personal_data"
    SENSITIVE_WORD = "sensitive_word"
    DEAD_LINK = "dead_link"


class LinkStatus(enum.StrEnum):
    """What the catalog's link checker says about a site-relative address."""

    OK = "ok"
    NOT_FOUND = "not_found"  # nothing at that address (404)
    NOT_PUBLIC = "not_public"  # something is there, but a draft, withdrawn or staff-only


# A checker may also answer with a bare bool (True: publicly reachable).
LinkChecker = Callable[[str], LinkStatus | bool]


@dataclass(frozen=True)
class PrecheckFinding:
    """One thing the pre-checks found (预检发现).

    kind      personal_data | sensitive_word | dead_link
    code      personal data: resident_id, mobile, landline, bank_card, email;
              sensitive_word: sensitive_word; dead_link: not_found, not_public, unreachable
    message   for the reviewer, in Chinese
    excerpt   where it is, with personal data masked (never the value itself)
    location  标题 / 正文 / 附件
    position  character offset in that location's plain text (for links: the link's order), for sorting
    """

    kind: str
    code: str
    message: str
    excerpt: str
    location: str
    position: int = 0

    def as_dict(self) -> dict[str, str | int]:
        return asdict(self)


_LOCATION_ORDER = ("title", "body", "attachments")
_KIND_ORDER = (FindingKind.PERSONAL_DATA, FindingKind.SENSITIVE_WORD, FindingKind.DEAD_LINK)
_MAX_URL_IN_MESSAGE = 120


def _location_label(location: str) -> str:
    labels = {"title": gettext("标题"), "body": gettext("正文"), "attachments": gettext("附件")}
    return labels[location]


# ---- sensitive words --------------------------------------------------------------------------------------

def parse_word_list(text: str) -> list[str]:
    """Sensitive words (敏感词) from configuration text: one a line, "#" starts a comment, blank lines and
    repeats (ignoring Latin case and full/half width) dropped, first spelling kept, order kept."""
    words: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        key = fold_for_matching(word)
        if word and key not in seen:
            seen.add(key)
            words.append(word)
    return words


class _Node:
    __slots__ = ("children", "word")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.word: str | None = None  # the configured spelling, where a word ends here


class SensitiveWordMatcher:
    """Finds any of many words in one pass: a character trie walked from each position, leftmost-longest.

    Cost per text position is the length of the longest word prefix found there (usually 0 or 1), so a few
    thousand words cost about as much as a few. Latin case and full/half width are ignored.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._root = _Node()
        for word in words:
            word = word.strip()
            node = self._root
            for ch in fold_for_matching(word):
                node = node.children.setdefault(ch, _Node())
            if node is not self._root and node.word is None:
                node.word = word

    def __bool__(self) -> bool:
        return bool(self._root.children)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, configured word) for every non-overlapping match, leftmost first, longest wins."""
        folded = fold_for_matching(text)
        top, n = self._root.children, len(folded)
        matches: list[tuple[int, int, str]] = []
        i = 0
        while i < n:
            node = top.get(folded[i])
            best_end, best_word = 0, None
            j = i + 1
            while node is not None:
                if node.word is not None:
                    best_end, best_word = j, node.word
                if j >= n:
                    break
                node = node.children.get(folded[j])
                j += 1
            if best_word is None:
                i += 1
            else:
                matches.append((i, best_end, best_word))
                i = best_end
        return matches


@functools.lru_cache(maxsize=16)
def _matcher_for(words: tuple[str, ...]) -> SensitiveWordMatcher:
    return SensitiveWordMatcher(words)


def _sensitive_word_findings(
    text: str, location: str, matcher: SensitiveWordMatcher, personal: list[Finding]
) -> list[PrecheckFinding]:
    # One finding per word and location (with the count): fifty repetitions of a word are one thing to fix.
    first: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    for start, end, word in matcher.find(text):
        first.setdefault(word, (start, end))
        counts[word] = counts.get(word, 0) + 1
    return [
        PrecheckFinding(
            kind=FindingKind.SENSITIVE_WORD,
            code="sensitive_word",
            message=gettext("出现敏感词“%(word)s”（%(count)d 处），请核实后再发布。")
            % {"word": word, "count": counts[word]},
            excerpt=masked_excerpt(text, start, end, findings=personal),
            location=_location_label(location),
            position=start,
        )
        for word, (start, end) in first.items()
    ]


# ---- personal data ----------------------------------------------------------------------------------------

def _personal_findings(
    text: str, location: str, personal: list[Finding], report: list[Finding] | None = None
) -> list[PrecheckFinding]:
    # `personal` is everything to mask in excerpts; `report` (default: the same) is what becomes a finding.
    return [
        PrecheckFinding(
            kind=FindingKind.PERSONAL_DATA,
            code=f.kind,
            message=gettext("发现疑似%(label)s，公开前请删除或作遮盖处理。") % {"label": KIND_LABELS[f.kind]},
            excerpt=masked_excerpt(text, f.start, f.end, findings=personal),
            location=_location_label(location),
            position=f.start,
        )
        for f in (personal if report is None else report)
    ]


# ---- links ------------------------------------------------------------------------------------------------

def _origin(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is None or (parts.scheme, port) in {("http", 80), ("https", 443)}:
        return host
    return f"{host}:{port}"


def classify_link(href: str, *, site_url: str) -> tuple[Literal["internal", "external", "other"], str]:
    """("internal", site-relative address) for a link into our site (site-relative, page-relative, or an
    http(s) address on `site_url`'s host, either scheme); ("external", href) for other web addresses;
    ("other", href) for fragments, mailto:, tel: and the like. The fragment is dropped, the query kept."""
    href = href.strip()
    if not href or href.startswith("#"):
        return "other", href
    try:
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if parts.scheme and parts.scheme.lower() not in {"http", "https"}:
                return "other", href
            if _origin(href if parts.scheme else "http:" + href) != _origin(site_url):
                return "external", href
        path = urljoin("/", parts.path) if parts.path else "/"
    except ValueError:  # e.g. an invalid port number
        return "other", href
    return "internal", path + (f"?{parts.query}" if parts.query else "")


def _link_findings(
    body_html: str, link_checker: LinkChecker | None, site_url: str
) -> list[PrecheckFinding]:
    if link_checker is None:
        return []
    findings: list[PrecheckFinding] = []
    checked: set[str] = set()
    for order, href in enumerate(links_in(body_html)):
        kind, address = classify_link(href, site_url=site_url)
        if kind != "internal" or address in checked:
            continue  # external links are left to the website inspection; each address is checked once
        checked.add(address)
        status = link_checker(address)
        if status is True or status == LinkStatus.OK:
            continue
        shown = mask_text(href)
        if len(shown) > _MAX_URL_IN_MESSAGE:
            shown = shown[: _MAX_URL_IN_MESSAGE - 1] + "…"
        if status == LinkStatus.NOT_FOUND:
            code, message = "not_found", gettext("链接 %(url)s 指向的页面不存在。")
        elif status == LinkStatus.NOT_PUBLIC:
            code, message = "not_public", gettext("链接 %(url)s 指向的内容尚未公开或已撤稿，公众无法访问。")
        else:
            code, message = "unreachable", gettext("链接 %(url)s 无法被公众访问。")
        findings.append(
            PrecheckFinding(
                kind=FindingKind.DEAD_LINK,
                code=code,
                message=message % {"url": shown},
                excerpt=shown,
                location=_location_label("body"),
                position=order,
            )
        )
    return findings


# ---- all together -----------------------------------------------------------------------------------------

def run_prechecks(
    *,
    title: str,
    body_html: str,
    attachments_text: str = "",
    sensitive_words: Iterable[str],
    link_checker: LinkChecker | None,
    site_url: str | None = None,
) -> list[PrecheckFinding]:
    """Every finding for one submission, in a fixed order: 标题, 正文, 附件; within each, personal data, then
    sensitive words, then dead links; then by position.

    Personal data is looked for in all three (and in the body's link addresses and image texts); sensitive
    words in the plain text of title and body; dead links among the body's internal links, each passed once
    to `link_checker` as a site-relative address ("/items/12/?a=1"). `site_url` defaults to settings.SITE_URL.
    """
    site = (site_url if site_url is not None else settings.SITE_URL).rstrip("/")
    matcher = _matcher_for(tuple(sensitive_words))
    body_text = html_to_text(body_html)
    texts: Sequence[tuple[str, str]] = (
        ("title", title or ""), ("body", body_text), ("attachments", attachments_text or "")
    )

    results: list[PrecheckFinding] = []
    masked_in_body: set[str] = set()
    for location, text in texts:
        personal = find_personal_data(text)
        if location == "body":
            masked_in_body = {f.masked for f in personal}
        results.extend(_personal_findings(text, location, personal))
        if location != "attachments" and matcher:
            results.extend(_sensitive_word_findings(text, location, matcher, personal))

    # Link addresses and image texts are published too ("mailto:…", "tel:…") though html_to_text leaves them
    # out; a value already reported from the body's text is not reported twice.
    attributes = "\n".join(attribute_texts(body_html))
    attribute_personal = find_personal_data(attributes)
    new = [f for f in attribute_personal if f.masked not in masked_in_body]
    for finding in _personal_findings(attributes, "body", attribute_personal, new):
        results.append(replace(finding, position=len(body_text) + finding.position))

    results.extend(_link_findings(body_html, link_checker, site))

    location_rank = {_location_label(loc): i for i, loc in enumerate(_LOCATION_ORDER)}
    kind_rank = {kind.value: i for i, kind in enumerate(_KIND_ORDER)}
    results.sort(key=lambda f: (location_rank[f.location], kind_rank[f.kind], f.position, f.code, f.excerpt))
    return results
