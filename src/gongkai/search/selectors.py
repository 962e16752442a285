"""The one search interface: `search(raw_query, filters, page=...)` on whichever database is configured."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import text as T
from .backends import CANDIDATES, Candidate, Filters, backend
from .models import SearchDocument

PAGE_SIZE = 20
MAX_PAGE = 25  # CANDIDATES / PAGE_SIZE: beyond it the answer is an empty page with a notice

__all__ = ["MAX_PAGE", "PAGE_SIZE", "Filters", "Hit", "Results", "search"]


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    url: str
    title: str
    title_html: SafeString
    snippet_html: SafeString
    organisation_id: int
    organisation_name: str
    column_name: str
    document_number: str
    published_at: dt.datetime
    topic: str
    genre: str
    validity: str


@dataclass
class Results:
    query: T.Query
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    total: int = 0
    total_is_lower_bound: bool = False
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def marked_html(marked: str) -> SafeString:
    """Escape text and turn the back end's highlight marks into <mark> elements."""
    html = escape(marked).replace(T.MARK_START, "<mark>").replace(T.MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 — escaped above; only our own tags are added


def _facets(rows: list[Candidate]) -> dict[str, list[tuple[str, int]]]:
    counters: dict[str, Counter[str]] = {n: Counter() for n in ("topic", "genre", "year", "validity", "organisation", "column")}
    for row in rows:
        for name, value in (("topic", row.topic), ("genre", row.genre), ("year", row.year),
                            ("validity", row.validity), ("organisation", row.organisation_id),
                            ("column", row.column_id)):
            if value not in (None, ""):
                counters[name][str(value)] += 1
    facets = {}
    for name, counter in counters.items():
        pairs = counter.most_common(20 if name in {"organisation", "column"} else None)
        facets[name] = sorted(pairs, key=lambda p: p[0], reverse=True) if name == "year" else pairs
    return facets


def search(raw_query: str | None, filters: Filters | None = None, *, page: int = 1,
           page_size: int = PAGE_SIZE, with_facets: bool = True, now: dt.datetime | None = None) -> Results:
    """Search the published documents. Never raises for any input; an empty query gives empty results."""
    query = T.parse_query(raw_query)
    filters = filters or Filters()
    now = now or timezone.now()
    results = Results(query=query, page=page)
    if query.truncated:
        results.notices.append(f"检索词过长，仅按前{T.MAX_QUERY_CHARS}个字符、前{T.MAX_TERMS}个词检索。")
    if query.is_empty:
        return results
    if page < 1 or page > MAX_PAGE:
        results.notices.append(f"页码超出范围（1～{MAX_PAGE}）。")
        return results
    engine = backend()
    rows = engine.candidates(query, filters, now)
    if not rows and query.document_number:
        # Not a 文号 we hold: search its characters like any other words.
        query = T.Query(text=query.text, terms=query.terms, phrases=query.phrases, truncated=query.truncated)
        results.query = query
        rows = engine.candidates(query, filters, now)
    # Relevance first; among equals (rounded, so that float noise does not hide a tie) the newer first.
    ranked = sorted(rows, key=lambda r: (-round(r.score, 6), -r.published_at.timestamp(), -r.id))
    start = (page - 1) * page_size
    ids = [r.id for r in ranked[start:start + page_size]]
    results.has_next = len(ranked) > start + page_size
    results.total = len(rows)
    results.total_is_lower_bound = len(rows) >= CANDIDATES
    if with_facets:
        results.facets = _facets(rows)
    docs = SearchDocument.objects.in_bulk(ids)
    marks = engine.highlights(query, ids)
    for pk in ids:
        doc = docs[pk]
        mark = marks.get(pk)
        title_html = marked_html(mark.title) if mark and T.MARK_START in mark.title else marked_html(doc.title)
        results.hits.append(Hit(
            kind=doc.kind, object_id=doc.object_id, url=doc.url, title=doc.title, title_html=title_html,
            snippet_html=marked_html(mark.snippet if mark else ""),
            organisation_id=doc.organisation_id, organisation_name=doc.organisation_name,
            column_name=doc.column_name, document_number=doc.document_number, published_at=doc.published_at,
            topic=doc.topic, genre=doc.genre, validity=doc.validity,
        ))
    return results
