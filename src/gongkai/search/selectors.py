"""The one search interface: `search(raw_query, filters, page=...)` on whichever database is configured."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from gongkai.core.db import prepared

from . import analysis as T
from . import highlight
from .backends import CANDIDATES, Candidate, Filters, backend
from .models import SearchDocument

PAGE_SIZE = 20
# What a hit shows (the snippet is cut from the indexed body or attachments).
HIT_FIELDS = ("kind", "object_id", "url", "title", "organisation_id", "organisation_name", "column_name",
              "document_number", "published_at", "topic", "genre", "validity", "s_body", "s_attachments")
# Kinds of document the platform-wide search leaves out: a copy of an item taken by another site (信息报送) is
# found there as its source; a site's own search finds the copy.
PLATFORM_EXCLUDED_KINDS: tuple[str, ...] = ("item-copy",)
MAX_PAGE = 25  # CANDIDATES / PAGE_SIZE: beyond it the answer is an empty page with a notice

__all__ = ["MAX_PAGE", "PAGE_SIZE", "PLATFORM_EXCLUDED_KINDS", "Filters", "Hit", "Results", "search"]


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
    columns: dict[str, list[Any]] = {"topic": [r.topic for r in rows], "genre": [r.genre for r in rows], "year": [r.year for r in rows],
               "validity": [r.validity for r in rows], "organisation": [r.organisation_id for r in rows],
               "column": [r.column_id for r in rows]}
    facets = {}
    for name, values in columns.items():
        counter = Counter(values)
        counter.pop(None, None)
        counter.pop("", None)
        pairs = [(str(v), n) for v, n in counter.most_common(20 if name in {"organisation", "column"} else None)]
        facets[name] = sorted(pairs, key=lambda p: p[0], reverse=True) if name == "year" else pairs
    return facets


def search(raw_query: str | None, filters: Filters | None = None, *, page: int = 1,
           page_size: int = PAGE_SIZE, with_facets: bool = True, now: dt.datetime | None = None) -> Results:
    """Search the published documents. Never raises for any input; an empty query gives empty results.

    Of the newest CANDIDATES matches (backends), whole-word matches come before n-gram-only ones; then by
    `relevance` (a 文号's own document, or how well the title matches); then the newer first. Only the page's hits are read in full and highlighted."""
    query = T.parse_query(raw_query)
    filters = filters or Filters()
    now = now or timezone.now()
    results = Results(query=query, page=page)
    if query.truncated:
        results.notices.append(gettext("检索词过长，仅按前%(chars)s个字符、前%(terms)s个词检索。") % {
                "chars": T.MAX_QUERY_CHARS, "terms": T.MAX_TERMS})
    if query.is_empty:
        return results
    if page < 1 or page > MAX_PAGE:
        results.notices.append(gettext("页码超出范围（1～%(last)s）。") % {"last": MAX_PAGE})
        return results
    engine = backend()
    rows = engine.candidates(query, filters, now)
    if not rows and query.document_number:
        # Not a 文号 we hold: search its characters like any other words.
        query = T.Query(text=query.text, terms=query.terms, phrases=query.phrases, runs=query.runs,
                        truncated=query.truncated)
        results.query = query
        rows = engine.candidates(query, filters, now)
    score = relevance(query)
    ranked = sorted(rows, key=lambda r: (r.whole_words, score(r), r.published_at, r.id), reverse=True)
    start = (page - 1) * page_size
    ids = [r.id for r in ranked[start:start + page_size]]
    results.has_next = len(ranked) > start + page_size
    results.total = len(rows)
    results.total_is_lower_bound = len(rows) >= CANDIDATES
    if with_facets:
        results.facets = _facets(rows)
    docs = {doc.pk: doc for doc in prepared(
        SearchDocument, "search-hits", lambda *ids: SearchDocument.objects.only(*HIT_FIELDS).filter(pk__in=ids), *ids
    )} if ids else {}
    wanted = highlight.needles(query)
    for pk in ids:
        doc = docs[pk]
        snippet = (highlight.snippet(doc.s_body, wanted) or highlight.snippet(doc.s_attachments, wanted)
                   or highlight.preview(doc.s_body))
        results.hits.append(Hit(
            kind=doc.kind, object_id=doc.object_id, url=doc.url, title=doc.title,
            title_html=marked_html(highlight.mark_original(doc.title, wanted)), snippet_html=marked_html(snippet),
            organisation_id=doc.organisation_id, organisation_name=doc.organisation_name,
            column_name=doc.column_name, document_number=doc.document_number, published_at=doc.published_at,
            topic=doc.topic, genre=doc.genre, validity=doc.validity,
        ))
    return results


def relevance(query: T.Query) -> Callable[[Candidate], int]:
    """For a 文号, whether a row is the document that bears it (before those that cite it); else title_level."""
    if query.document_number:
        key = query.document_number
        return lambda row: int(row.document_number_key == key)
    level = title_level(query)
    return lambda row: level(row.s_title)


def title_level(query: T.Query) -> Callable[[str], int]:
    """How well a segmented title matches, 0–3: 2 when it holds every run and phrase of the query as typed,
    plus 1 when every query word is one of its words (so 技术 ranks a title with the word 技术 above one where
    the characters sit inside 高新技术, and both above a title without them). Called for every candidate, so
    what depends on the query alone is prepared once."""
    wanted = query.runs + query.phrases
    # Each term as a whole token, or each of its sub-words as one.
    choices = [[[f"{T.SEP}{t.word}{T.SEP}"]] + ([[f"{T.SEP}{a}{T.SEP}" for a in t.alternatives]] if t.alternatives else [])
               for t in query.terms]

    def level(s_title: str) -> int:
        title = s_title.replace(T.SEP, "")
        score = 2 if wanted else 0
        for w in wanted:
            if w not in title:
                score = 0
                break
        if not choices:
            return score
        padded = f"{T.SEP}{s_title}{T.SEP}"
        for options in choices:
            if not any(all(p in padded for p in option) for option in options):
                return score
        return score + 1

    return level
