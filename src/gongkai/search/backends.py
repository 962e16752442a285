"""The two full-text back ends behind one interface: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both receive a parsed `text.Query` (never the raw input), build their own match expression from its words
with every word quoted as a literal, and take all other values as bound parameters: nothing a person types
is ever read as FTS or SQL syntax.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from . import text as T

TABLE = "search_searchdocument"
# Ranking, facets and the total consider the newest CANDIDATES matches (see docs/benchmarks.md: ranking
# every match of a common word costs hundreds of milliseconds at a million documents; the newest five hundred
# is more than twenty-five pages of twenty results can show).
CANDIDATES = 500
# PostgreSQL first looks for them among the newest documents, sqrt(CANDIDATES × documents) of them (_walk_rows).
# A walk tests ~2 µs a row (the vector stored in the row, migration 0003) and succeeds for words in more than
# CANDIDATES / rows of the documents; rarer words cost about as much from the GIN bitmap (~2 µs a match), and
# the two are equal at that size: 7,000 rows and 7% at 100,000 documents, 22,000 rows and 2.2% at 1,000,000.
MIN_WALK_ROWS = 4 * CANDIDATES
_COLUMNS = "d.id, d.published_at, d.topic, d.genre, d.year, d.validity, d.organisation_id, d.column_id"
# What the walk's filters read (see _where and _phrase_clauses).
_WALK_COLUMNS = (
    "id, published_at, topic, genre, year, validity, organisation_id, column_id, vector, go_live_at, "
    "organisation_path, kind, s_title, s_body, s_attachments"
)
# ANALYZE's figures for the table, read at most once every STATS_SECONDS per process.
STATS_SECONDS = 600
_stats: dict[str, Any] = {"at": -STATS_SECONDS, "common": {}, "rarest": 0.0, "documents": 0}


def _refresh_statistics() -> None:
    if time.monotonic() - _stats["at"] < STATS_SECONDS:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_class c "
            "LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname "
            "AND s.attname = 'vector' WHERE c.oid = %s::regclass",
            [TABLE],
        )
        row = cursor.fetchone()
    documents, elems, freqs = row if row else (0, None, None)
    # most_common_elem_freqs ends with the minimum, the maximum and the null fraction.
    _stats.update(at=time.monotonic(), common=dict(zip(elems or [], freqs or [], strict=False)),
                  rarest=freqs[-3] if freqs else 0.0, documents=max(0, int(documents or 0)))


def _lexeme_frequencies() -> tuple[dict[str, float], float]:
    """{lexeme: fraction of documents} for the most common ones, and the fraction no other lexeme exceeds."""
    _refresh_statistics()
    return _stats["common"], _stats["rarest"]


def _walk_rows() -> int:
    _refresh_statistics()
    return max(MIN_WALK_ROWS, int(math.sqrt(CANDIDATES * _stats["documents"])))


@dataclass(frozen=True)
class Filters:
    organisation_path: str = ""
    column_ids: tuple[int, ...] = ()
    topic: str = ""
    genre: str = ""
    year: int | None = None
    validity: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    score: float  # higher is better
    published_at: Any
    topic: str
    genre: str
    year: int | None
    validity: str
    organisation_id: int
    column_id: int | None


@dataclass(frozen=True)
class RawHit:
    id: int
    title: str  # with MARK_START/MARK_END around matches
    snippet: str


def _where(filters: Filters, now: dt.datetime, alias: str = "d") -> tuple[list[str], list[Any]]:
    clauses = [f"{alias}.go_live_at <= %s"]
    params: list[Any] = [now]
    if filters.organisation_path:
        clauses.append(f"{alias}.organisation_path LIKE %s")
        params.append(filters.organisation_path.replace("%", "").replace("_", "") + "%")
    if filters.column_ids:
        clauses.append(f"{alias}.column_id IN ({', '.join(['%s'] * len(filters.column_ids))})")
        params.extend(filters.column_ids)
    for name in ("topic", "genre", "validity", "kind"):
        value = getattr(filters, name)
        if value:
            clauses.append(f"{alias}.{name} = %s")
            params.append(value)
    if filters.year:
        clauses.append(f"{alias}.year = %s")
        params.append(filters.year)
    return clauses, params


def _phrase_clauses(query: T.Query, alias: str = "d") -> tuple[list[str], list[Any]]:
    clauses, params = [], []
    for phrase in query.phrases:
        clauses.append(
            f"(strpos(replace({alias}.s_title || ' ' || {alias}.s_body || ' ' || {alias}.s_attachments, %s, ''), %s) > 0)"
            if connection.vendor == "postgresql"
            else f"(instr(replace({alias}.s_title || ' ' || {alias}.s_body || ' ' || {alias}.s_attachments, %s, ''), %s) > 0)"
        )
        params.extend([T.SEP, phrase])
    return clauses, params


class SQLiteBackend:
    """FTS5 over segmented text; bm25 with per-column weights, recency as the tie-break; snippet()."""

    WEIGHTS = "10.0, 8.0, 1.0, 0.5, 0.3"  # s_title, s_docno, s_body, s_attachments, s_extra

    @staticmethod
    def _quote(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    def match_expression(self, query: T.Query) -> str:
        if query.document_number:
            return self._quote(query.document_number)
        groups = []
        for term in query.terms:
            if term.alternatives:
                subs = " AND ".join(self._quote(w) for w in term.alternatives)
                groups.append(f"({self._quote(term.word)} OR ({subs}))")
            else:
                groups.append(self._quote(term.word))
        return " AND ".join(groups)

    def candidates(self, query: T.Query, filters: Filters, now: dt.datetime) -> list[Candidate]:
        """The newest CANDIDATES matches (FTS5 walks its index in rowid order, which follows indexing time)."""
        where, params = _where(filters, now)
        phrase, phrase_params = _phrase_clauses(query)
        sql = (
            f"SELECT -bm25(search_fts, {self.WEIGHTS}), {_COLUMNS} "  # noqa: S608 — constants and placeholders only
            f"FROM search_fts JOIN {TABLE} d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {' AND '.join(where + phrase)} "
            f"ORDER BY search_fts.rowid DESC LIMIT {CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(query), *params, *phrase_params])
            rows = cursor.fetchall()
        return [Candidate(r[1], float(r[0]), *r[2:]) for r in rows]

    def highlights(self, query: T.Query, ids: list[int]) -> dict[int, RawHit]:
        if not ids:
            return {}
        marks = f"'{T.MARK_START}', '{T.MARK_END}'"
        sql = (
            f"SELECT rowid, highlight(search_fts, 0, {marks}), snippet(search_fts, 2, {marks}, '…', 40), "  # noqa: S608 — constants and placeholders only
            f"snippet(search_fts, 3, {marks}, '…', 40) FROM search_fts "
            f"WHERE search_fts MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(query), *ids])
            rows = cursor.fetchall()
        hits = {}
        for pk, title, body, attachments in rows:
            snippet = body if T.MARK_START in body or T.MARK_START not in attachments else attachments
            hits[pk] = RawHit(pk, T.display(title), T.display(snippet))
        return hits


class PostgresBackend:
    """tsvector ('simple' configuration over pre-segmented text) with a GIN index; ts_rank; ts_headline."""

    @staticmethod
    def _quote(word: str) -> str:
        return "'" + word.replace("\\", "").replace("'", "") + "'"

    def tsquery(self, query: T.Query) -> str:
        if query.document_number:
            return self._quote(query.document_number)
        groups = []
        for term in query.terms:
            if term.alternatives:
                subs = " & ".join(self._quote(w) for w in term.alternatives)
                groups.append(f"({self._quote(term.word)} | ({subs}))")
            else:
                groups.append(self._quote(term.word))
        return " & ".join(groups)

    def candidates(self, query: T.Query, filters: Filters, now: dt.datetime) -> list[Candidate]:
        """The newest CANDIDATES matches by publication time, in one of two ways chosen here, not by the planner.

        Walk: test the newest _walk_rows() documents in recency order, stopping at CANDIDATES matches; its cost
        does not depend on the size of the index, only on how common the words are. Bitmap: all matches from
        the GIN index, then the newest; its cost grows with the number of matches. The planner misjudges both:
        it multiplies the frequencies of AND-ed words as if independent (高新技术 & 企业 & 认定: 5,431 estimated,
        28,620 real at 100,000 documents) and does not count the cost of reading each row's vector in the
        walk, so it took the bitmap for common word pairs and the walk for rare words. The walk goes first
        unless the statistics show it cannot succeed; when it finds fewer than CANDIDATES, the matches are
        rare among recent documents and the bitmap is cheap.
        """
        where, params = _where(filters, now)
        phrase, phrase_params = _phrase_clauses(query)
        tsquery = self.tsquery(query)
        # Ranked after the LIMIT, so only for the kept rows (the vector is the widest column).
        ranked = (
            f"SELECT ts_rank(v.vector, to_tsquery('simple', %s)), {_COLUMNS.replace('d.', 'c.')} "  # noqa: S608 — constants and placeholders only
            f"FROM ({{}}) c JOIN {TABLE} v ON v.id = c.id"
        )
        rows: list[Any] = []
        walk_rows = _walk_rows()
        if self._could_be_common(query, walk_rows):
            # The inner query reads the newest walk_rows rows in index order; the outer one keeps that order,
            # so PostgreSQL stops as soon as it has CANDIDATES matches.
            walk = (
                f"SELECT {_COLUMNS} FROM (SELECT {_WALK_COLUMNS} FROM {TABLE} ORDER BY published_at DESC, id DESC "  # noqa: S608 — constants and placeholders only
                f"LIMIT {walk_rows}) d WHERE d.vector @@ to_tsquery('simple', %s) AND {' AND '.join(where + phrase)} "
                f"ORDER BY d.published_at DESC, d.id DESC LIMIT {CANDIDATES}"
            )
            with connection.cursor() as cursor:
                cursor.execute(ranked.format(walk), [tsquery, tsquery, *params, *phrase_params])
                rows = cursor.fetchall()
        if len(rows) < CANDIDATES:
            # Every match, materialised (so that no index order tempts the planner into a walk), then the
            # newest; a phrase is checked on them newest first, stopping at CANDIDATES.
            bitmap = (
                f"WITH m AS MATERIALIZED (SELECT d.id, d.published_at FROM {TABLE} d "  # noqa: S608 — constants and placeholders only
                f"WHERE d.vector @@ to_tsquery('simple', %s) AND {' AND '.join(where)}) "
                f"SELECT {_COLUMNS} FROM (SELECT id, published_at FROM m ORDER BY published_at DESC, id DESC"
                f"{'' if phrase else f' LIMIT {CANDIDATES}'}) n JOIN {TABLE} d ON d.id = n.id "
                f"{'WHERE ' + ' AND '.join(phrase) if phrase else ''} "
                f"ORDER BY n.published_at DESC, n.id DESC LIMIT {CANDIDATES}"
            )
            with connection.cursor() as cursor:
                cursor.execute(ranked.format(bitmap), [tsquery, tsquery, *params, *phrase_params])
                rows = cursor.fetchall()
        return [Candidate(r[1], float(r[0]), *r[2:]) for r in rows]

    def _could_be_common(self, query: T.Query, walk_rows: int) -> bool:
        """Whether the query may match CANDIDATES of the newest `walk_rows` documents, by ANALYZE's statistics
        of the vector's most common lexemes: an AND matches no more often than its rarest part, an
        alternative (高新技术 | 高新 & 技术) no more than the sum of its branches. Without statistics: maybe."""
        common, rarest = _lexeme_frequencies()
        if not common:
            return True

        def freq(word: str) -> float:
            return common.get(word, rarest)

        if query.document_number:
            bound = freq(query.document_number)
        else:
            bound = min(
                min(1.0, freq(t.word) + min(freq(w) for w in t.alternatives)) if t.alternatives else freq(t.word)
                for t in query.terms
            )
        return bound >= CANDIDATES / walk_rows

    def highlights(self, query: T.Query, ids: list[int]) -> dict[int, RawHit]:
        if not ids:
            return {}
        options = (
            f"StartSel={T.MARK_START}, StopSel={T.MARK_END}, MaxWords=40, MinWords=15, "
            "MaxFragments=1, FragmentDelimiter=…, HighlightAll=false"
        )
        title_options = f"StartSel={T.MARK_START}, StopSel={T.MARK_END}, HighlightAll=true"
        sql = (
            "SELECT d.id, ts_headline('simple', d.s_title, q, %s), ts_headline('simple', d.s_body, q, %s), "  # noqa: S608 — constants and placeholders only
            "ts_headline('simple', d.s_attachments, q, %s) "
            f"FROM {TABLE} d, to_tsquery('simple', %s) q WHERE d.id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_options, options, options, self.tsquery(query), ids])
            rows = cursor.fetchall()
        hits = {}
        for pk, title, body, attachments in rows:
            snippet = body if T.MARK_START in body or T.MARK_START not in attachments else attachments
            hits[pk] = RawHit(pk, T.display(title), T.display(snippet))
        return hits


def backend() -> SQLiteBackend | PostgresBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
