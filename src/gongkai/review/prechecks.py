"""Automatic pre-publication checks (发布前自动预检): personal data, sensitive words, dead internal links.

Pure functions over the text of a submission; the review services store the findings and let them block the
secrecy step. Nothing here touches the database or the network: the catalog supplies `link_checker`, the
organisation's configuration supplies the sensitive words.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Literal
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext

from gongkai.core.files import Extraction, ExtractionProblem
from gongkai.core.personal_data import KIND_LABELS, Finding, find_personal_data, mask_text, masked_excerpt
from gongkai.core.text import attribute_texts, fold_for_matching, html_to_text, links_in


class FindingKind(enum.StrEnum):
    PERSONAL_DATA = "personal_data"
    SENSITIVE_WORD = "sensitive_word"
    DEAD_LINK = "dead_link"
    UNCHECKED_ATTACHMENT = "unchecked_attachment"  # its text could not be (wholly) read: a person must look


class Area(enum.StrEnum):
    """Where a finding is: the text it was found in."""

    TITLE = "title"
    SUMMARY = "summary"
    BODY = "body"
    ATTACHMENT = "attachment"


@dataclass(frozen=True)
class AttachmentText:
    """One attachment as the pre-checks read it: its id in its own app, its file name and its extracted text."""

    ref: int | None
    name: str
    extraction: Extraction = field(default_factory=Extraction)
    type_label: str = ""


class LinkStatus(enum.StrEnum):
    """What the catalog's link checker says about a site-relative address."""

    OK = "ok"
    NOT_FOUND = "not_found"  # nothing at that address (404)
    NOT_PUBLIC = "not_public"  # something is there, but a draft, withdrawn or staff-only


# A checker may also answer with a bare bool (True: publicly reachable).
LinkChecker = Callable[[str], LinkStatus | bool]


@dataclass(frozen=True)
class PrecheckFinding:
    """One thing the pre-checks found (预检发现), and exactly where.

    kind      personal_data | sensitive_word | dead_link | unchecked_attachment
    code      personal data: resident_id, mobile, landline, bank_card, email; sensitive_word: sensitive_word;
              dead_link: not_found, not_public, unreachable; unchecked_attachment: an ExtractionProblem value
    message   for the reviewer, in Chinese
    excerpt   the finding with some text either side, personal data masked (never the value itself)
    location  the label shown to people: 标题 / 内容概述 / 正文 / 附件“名称”
    position  character offset in that area's plain text (for links: the link's order), for sorting
    area      title | summary | body | attachment (Area)
    start, end  the finding's characters in the area's plain text: the title as written, the summary as
              written, `core.text.html_to_text(body)` for the body (`core.text.mark_spans` marks them in the
              HTML), the attachment's extracted text; None when the finding is about the whole attachment
    attachment_ref, attachment_name  which attachment (its id in the reviewed object's app, its file name)
    place     where in the attachment: 第3页 / 第12段 / 表格1 第2行 / 工作表“名单” B3 ("" elsewhere)
    """

    kind: str
    code: str
    message: str
    excerpt: str
    location: str
    position: int = 0
    area: str = Area.BODY
    start: int | None = None
    end: int | None = None
    attachment_ref: int | None = None
    attachment_name: str = ""
    place: str = ""

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)


_KIND_ORDER = (
    FindingKind.UNCHECKED_ATTACHMENT, FindingKind.PERSONAL_DATA, FindingKind.SENSITIVE_WORD, FindingKind.DEAD_LINK
)
_MAX_URL_IN_MESSAGE = 120
_MAX_NAME_IN_LOCATION = 40


def _location_label(area: str, attachment: AttachmentText | None = None) -> str:
    if attachment is not None:
        name = attachment.name
        if len(name) > _MAX_NAME_IN_LOCATION:
            name = name[: _MAX_NAME_IN_LOCATION - 1] + "…"
        return gettext("附件“%(name)s”") % {"name": name}
    labels = {Area.TITLE: gettext("标题"), Area.SUMMARY: gettext("内容概述"), Area.BODY: gettext("正文")}
    return labels[Area(area)]


@dataclass(frozen=True)
class _Source:
    """One text the pre-checks read: its area, its plain text and, for an attachment, which one."""

    area: Area
    text: str
    attachment: AttachmentText | None = None

    @property
    def label(self) -> str:
        return _location_label(self.area, self.attachment)

    def located(self, start: int, end: int) -> dict[str, object]:
        where: dict[str, object] = {
            "location": self.label, "position": start, "area": self.area.value, "start": start, "end": end,
        }
        if self.attachment is not None:
            where |= {
                "attachment_ref": self.attachment.ref,
                "attachment_name": self.attachment.name,
                "place": self.attachment.extraction.place_of(start),
            }
        return where


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
    source: _Source, matcher: SensitiveWordMatcher, personal: list[Finding]
) -> list[PrecheckFinding]:
    # One finding per word and location (with the count): fifty repetitions of a word are one thing to fix.
    first: dict[str, tuple[int, int]] = {}
    counts: dict[str, int] = {}
    for start, end, word in matcher.find(source.text):
        first.setdefault(word, (start, end))
        counts[word] = counts.get(word, 0) + 1
    return [
        PrecheckFinding(
            kind=FindingKind.SENSITIVE_WORD,
            code="sensitive_word",
            message=gettext("出现敏感词“%(word)s”（%(count)d 处），请核实后再发布。")
            % {"word": word, "count": counts[word]},
            excerpt=masked_excerpt(source.text, start, end, findings=personal),
            **source.located(start, end),  # type: ignore[arg-type]
        )
        for word, (start, end) in first.items()
    ]


# ---- personal data ----------------------------------------------------------------------------------------

def _personal_findings(
    source: _Source, personal: list[Finding], report: list[Finding] | None = None
) -> list[PrecheckFinding]:
    # `personal` is everything to mask in excerpts; `report` (default: the same) is what becomes a finding.
    return [
        PrecheckFinding(
            kind=FindingKind.PERSONAL_DATA,
            code=f.kind,
            message=gettext("发现疑似%(label)s，公开前请删除或作遮盖处理。") % {"label": KIND_LABELS[f.kind]},
            excerpt=masked_excerpt(source.text, f.start, f.end, findings=personal),
            **source.located(f.start, f.end),  # type: ignore[arg-type]
        )
        for f in (personal if report is None else report)
    ]


# ---- the organisation's own published numbers -------------------------------------------------------------

_PHONE_KINDS = {"mobile", "landline"}


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def phone_key(value: str) -> str:
    """The digits that identify a phone number: +86/0086 dropped from mobiles, separators ignored."""
    digits = _digits(value.translate({ord(c) + 0xFEE0: ord(c) for c in "0123456789"}))
    if len(digits) > 11 and digits[-11] == "1" and digits[: len(digits) - 11] in {"86", "0086"}:
        return digits[-11:]
    return digits


def published_number_keys(numbers: Iterable[str]) -> frozenset[str]:
    """Keys of an organisation's published contact numbers (公开的办公电话), one number per entry."""
    return frozenset(k for k in (phone_key(n) for n in numbers) if len(k) >= 7)


def _is_published(text: str, finding: Finding, published: frozenset[str]) -> bool:
    if finding.kind not in _PHONE_KINDS or not published:
        return False
    key = phone_key(text[finding.start : finding.end])
    if key in published:
        return True
    # The switchboard with an extension (0951-1234567转8001) is still the office's published number.
    return finding.kind == "landline" and any(
        key.startswith(number) and 1 <= len(key) - len(number) <= 5 for number in published
    )


def _personal_data(text: str, published: frozenset[str]) -> list[Finding]:
    return [f for f in find_personal_data(text) if not _is_published(text, f, published)]


# ---- attachments that could not be read -------------------------------------------------------------------

def _unchecked_findings(attachment: AttachmentText) -> list[PrecheckFinding]:
    extraction = attachment.extraction
    problem = extraction.problem
    if not problem:
        return []
    name = attachment.name
    if problem == ExtractionProblem.NO_TEXT:
        message = gettext("附件“%(name)s”没有可提取的文字（可能是扫描件），未能自动检查，请人工查看后再通过保密审查。")
    elif problem == ExtractionProblem.PARTIAL:
        message = gettext(
            "附件“%(name)s”的%(pages)s没有可提取的文字（可能是扫描页），这些页未能自动检查，请人工查看。"
        )
    elif problem == ExtractionProblem.ENCRYPTED:
        message = gettext("附件“%(name)s”设有打开密码，无法自动检查，请人工查看，或改传未加密的文件。")
    elif problem == ExtractionProblem.TRUNCATED:
        message = gettext("附件“%(name)s”文字过长，只自动检查了开头部分，其余部分请人工查看。")
    elif problem == ExtractionProblem.UNSUPPORTED:
        message = gettext("附件“%(name)s”（%(type)s）的内容不能自动检查，请人工查看。")
    else:
        message = gettext("附件“%(name)s”无法读取（文件可能已损坏），未能自动检查，请人工查看。")
    pages = "、".join(extraction.unread[:10]) + (gettext("等") if len(extraction.unread) > 10 else "")
    return [
        PrecheckFinding(
            kind=FindingKind.UNCHECKED_ATTACHMENT,
            code=problem,
            message=message % {"name": name, "pages": pages, "type": attachment.type_label or gettext("此类文件")},
            excerpt="",
            location=_location_label(Area.ATTACHMENT, attachment),
            area=Area.ATTACHMENT,
            attachment_ref=attachment.ref,
            attachment_name=name,
            place=pages if problem == ExtractionProblem.PARTIAL else "",
        )
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
                location=_location_label(Area.BODY),
                position=order,
                area=Area.BODY,
            )
        )
    return findings


# ---- all together -----------------------------------------------------------------------------------------

def run_prechecks(
    *,
    title: str,
    body_html: str,
    summary: str = "",
    attachments: Sequence[AttachmentText] = (),
    sensitive_words: Iterable[str],
    link_checker: LinkChecker | None,
    site_url: str | None = None,
    published_numbers: Iterable[str] = (),
) -> list[PrecheckFinding]:
    """Every finding for one submission, in a fixed order: 标题, 内容概述, 正文, then each attachment; within
    each, unreadable attachments, personal data, sensitive words, dead links; then by position.

    Personal data and sensitive words are looked for in all of them (and personal data in the body's link
    addresses and image texts); an attachment whose text could not be read wholly is itself a finding; dead
    links among the body's internal links, each passed once to `link_checker` as a site-relative address
    ("/items/12/?a=1"). The organisation's `published_numbers` (its own office phones, as published) are not
    personal data. `site_url` defaults to settings.SITE_URL.
    """
    site = (site_url if site_url is not None else settings.SITE_URL).rstrip("/")
    matcher = _matcher_for(tuple(sensitive_words))
    published = published_number_keys(published_numbers)
    body_text = html_to_text(body_html)
    sources = [_Source(Area.TITLE, title or ""), _Source(Area.SUMMARY, summary or ""), _Source(Area.BODY, body_text)]
    sources += [_Source(Area.ATTACHMENT, a.extraction.text, a) for a in attachments]

    # (index of the source, finding): sorting keeps the order of the sources, attachments as given.
    found: list[tuple[int, PrecheckFinding]] = []
    masked_in_body: set[str] = set()
    for index, source in enumerate(sources):
        if source.attachment is not None:
            found += [(index, f) for f in _unchecked_findings(source.attachment)]
        personal = _personal_data(source.text, published)
        if source.area == Area.BODY:
            masked_in_body = {f.masked for f in personal}
        found += [(index, f) for f in _personal_findings(source, personal)]
        if matcher:
            found += [(index, f) for f in _sensitive_word_findings(source, matcher, personal)]

    # Link addresses and image texts are published too ("mailto:…", "tel:…") though html_to_text leaves them
    # out; a value already reported from the body's text is not reported twice. They have no place in the
    # body's text, so they carry no start and end.
    body_index = 2
    attributes = "\n".join(attribute_texts(body_html))
    attribute_personal = _personal_data(attributes, published)
    new = [f for f in attribute_personal if f.masked not in masked_in_body]
    for finding in _personal_findings(_Source(Area.BODY, attributes), attribute_personal, new):
        found.append((body_index, replace(finding, position=len(body_text) + finding.position, start=None, end=None)))
    found += [(body_index, f) for f in _link_findings(body_html, link_checker, site)]

    kind_rank = {kind.value: i for i, kind in enumerate(_KIND_ORDER)}
    found.sort(key=lambda pair: (pair[0], kind_rank[pair[1].kind], pair[1].position, pair[1].code, pair[1].excerpt))
    return [finding for _, finding in found]
