"""Pre-check findings marked where they occur (预检标注): the reviewer reads the body and each attachment's text
with every finding's place lit.

The pre-checks store where each finding is (`Finding.area`, `start`–`end` in that area's plain text, and for an
attachment its `attachment_ref`), never the value itself; these functions light those places again in what the
page shows. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from gongkai.core.text import mark_spans

from .prechecks import Area


def _spans(findings: Iterable[object], area: str, attachment_ref: int | None = None) -> list[tuple[int, int, str]]:
    spans = []
    for f in findings:
        start, end = getattr(f, "start", None), getattr(f, "end", None)
        if getattr(f, "area", "") != area or start is None or end is None or end <= start:
            continue
        if area == Area.ATTACHMENT and getattr(f, "attachment_ref", None) != attachment_ref:
            continue
        spans.append((start, end, str(getattr(f, "message", ""))))
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:  # overlapping findings (one number seen as two kinds) are lit once
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def mark_body(html: str, findings: Iterable[object]) -> tuple[str, int]:
    """The sanitised body with each body finding's place in `<mark class="finding">`; and how many were marked."""
    spans = _spans(findings, Area.BODY)
    return (mark_spans(html, spans) if spans and html else html or ""), len(spans)


def mark_attachment_text(text: str, findings: Iterable[object], attachment_ref: int) -> tuple[str, int]:
    """An attachment's extracted text as escaped HTML with each of its findings' places in `<mark>`."""
    spans = _spans(findings, Area.ATTACHMENT, attachment_ref)
    out, at = [], 0
    for start, end, label in spans:
        out.append(escape(text[at:start]))
        out.append(f'<mark class="finding" data-finding="{escape(label)}">{escape(text[start:end])}</mark>')
        at = end
    out.append(escape(text[at:]))
    return "".join(out), len(spans)
