"""Pre-check findings marked where they occur (预检标注): the reviewer reads the body with each finding's place lit.

The pre-checks (`prechecks.py`) store what they found with a masked excerpt, never the value. To show where, the
page runs the same finders over the text it shows and wraps what they find in `<mark>`: only kinds of finding the
submission actually has (so a value the pre-checks let through is not lit). Works on sanitised HTML (the body)
and on plain text (an attachment's extracted text). Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from gongkai.core.personal_data import KIND_LABELS, find_personal_data

from .prechecks import FindingKind, SensitiveWordMatcher


@dataclass(frozen=True)
class Marker:
    """What to light: the personal-data codes the findings name, and the sensitive words configured."""

    personal_codes: frozenset[str]
    sensitive_words: tuple[str, ...] = ()

    @classmethod
    def for_findings(cls, findings: Iterable[object], sensitive_words: Iterable[str]) -> Marker:
        codes, words = set(), False
        for f in findings:
            kind = getattr(f, "kind", "")
            if kind == FindingKind.PERSONAL_DATA:
                codes.add(getattr(f, "code", ""))
            elif kind == FindingKind.SENSITIVE_WORD:
                words = True
        return cls(frozenset(codes), tuple(sensitive_words) if words else ())

    def __bool__(self) -> bool:
        return bool(self.personal_codes or self.sensitive_words)


def _spans(text: str, marker: Marker) -> list[tuple[int, int, str, str]]:
    spans = [
        (f.start, f.end, "personal", str(KIND_LABELS.get(f.kind, f.kind)))
        for f in find_personal_data(text) if f.kind in marker.personal_codes
    ]
    if marker.sensitive_words:
        spans += [(s, e, "word", word) for s, e, word in SensitiveWordMatcher(marker.sensitive_words).find(text)]
    spans.sort()
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def mark_text(text: str, marker: Marker) -> tuple[str, int]:
    """`text` as escaped HTML with each finding's place in `<mark>`; and how many were marked."""
    if not marker or not text:
        return escape(text or ""), 0
    out, at = [], 0
    spans = _spans(text, marker)
    for start, end, kind, label in spans:
        out.append(escape(text[at:start]))
        out.append(f'<mark class="finding finding-{kind}" title="{escape(label)}">{escape(text[start:end])}</mark>')
        at = end
    out.append(escape(text[at:]))
    return "".join(out), len(spans)


class _Marking(HTMLParser):
    def __init__(self, marker: Marker) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.out: list[str] = []
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        marked, n = mark_text(data, self.marker)
        self.out.append(marked)
        self.count += n


def mark_html(html: str, marker: Marker) -> tuple[str, int]:
    """Sanitised HTML with each finding's place in its text wrapped in `<mark>`; tags are kept as they were.

    A value split by markup (<b>1101</b>05…) is not lit; the list of findings still names it."""
    if not marker or not html:
        return html or "", 0
    parser = _Marking(marker)
    parser.feed(html)
    parser.close()
    return "".join(parser.out), parser.count
