"""The two full-text back ends behind one interface: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both receive a parsed `text.Query` (never the raw input), build their own match expression from its words
with every word quoted as a literal, and take all other values as bound parameters: nothing a person types
is ever read as FTS or SQL syntax.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from . import text as T

TABLE = "search_searchdocument"
# Ranking, facets and the total consider the newest CANDIDATES matches (see docs/benchmarks.md: ranking
# every match of a common word costs hundreds of milliseconds at a million documents; the newest five hundred
# is more than twenty-five pages of twenty results can show).
CANDIDATES = 500
# PostgreSQL checks a quoted phrase verbatim in the newest PHRASE_WINDOW matches of its words first, then in
# eight times as many, and so on, until it has CANDIDATES or has seen every match (PostgresBackend._phrase_candidates).
PHRASE_WINDOW = 4 * CANDIDATES
_COLUMNS = "d.id, d.published_at, d.topic, d.genre, d.year, d.validity, d.organisation_id, d.column_id"


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
        """The newest CANDIDATES matches by publication time.

        The planner walks the recency index and tests each row when its statistics say the words are common
        (the walk stops after CANDIDATES matches, whatever the size of the index), or takes the GIN bitmap and
        sorts when they are rare. ts_rank runs outside the LIMIT, so only on the rows kept: on the bitmap path
        it would otherwise detoast the vector of every match (docs/benchmarks.md).
        """
        if query.phrases:
            return self._phrase_candidates(query, filters, now)
        where, params = _where(filters, now)
        sql = (
            f"SELECT ts_rank(c.vector, q), {_COLUMNS.replace('d.', 'c.')} FROM ("  # noqa: S608 — constants and placeholders only
            f"SELECT d.vector, {_COLUMNS} FROM {TABLE} d WHERE d.vector @@ to_tsquery('simple', %s) "
            f"AND {' AND '.join(where)} ORDER BY d.published_at DESC, d.id DESC LIMIT {CANDIDATES}"
            ") c, to_tsquery('simple', %s) q"
        )
        tsquery = self.tsquery(query)
        with connection.cursor() as cursor:
            cursor.execute(sql, [tsquery, *params, tsquery])
            rows = cursor.fetchall()
        return [Candidate(r[1], float(r[0]), *r[2:]) for r in rows]

    def _phrase_candidates(self, query: T.Query, filters: Filters, now: dt.datetime) -> list[Candidate]:
        """The newest CANDIDATES documents holding every phrase verbatim.

        The verbatim check reads the whole text, so it runs on the matches of the phrase's words newest first
        and stops at CANDIDATES (the inner query's order is the outer one's, so PostgreSQL needs no sort and
        stops early), within a window of the newest `window` word matches. When that window holds too few
        phrases and there are more word matches, it grows eightfold. The result is exactly the newest
        CANDIDATES: a verbatim match is a word match, so none older than the window can displace one in it.
        """
        where, params = _where(filters, now)
        phrase, phrase_params = _phrase_clauses(query, alias="c")
        sql = (
            f"SELECT ts_rank(c.vector, to_tsquery('simple', %s)), {_COLUMNS.replace('d.', 'c.')} FROM ("  # noqa: S608 — constants and placeholders only
            f"SELECT d.vector, d.s_title, d.s_body, d.s_attachments, {_COLUMNS} FROM {TABLE} d "
            f"WHERE d.vector @@ to_tsquery('simple', %s) AND {' AND '.join(where)} "
            "ORDER BY d.published_at DESC, d.id DESC LIMIT %s) c "
            f"WHERE {' AND '.join(phrase)} ORDER BY c.published_at DESC, c.id DESC LIMIT {CANDIDATES}"
        )
        count_sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} d WHERE d.vector @@ to_tsquery('simple', %s) "  # noqa: S608 — constants and placeholders only
            f"AND {' AND '.join(where)} LIMIT %s) w"
        )
        tsquery = self.tsquery(query)
        window = PHRASE_WINDOW
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [tsquery, tsquery, *params, window, *phrase_params])
                rows = cursor.fetchall()
                if len(rows) >= CANDIDATES:
                    break
                cursor.execute(count_sql, [tsquery, *params, window])
                if cursor.fetchone()[0] < window:  # the window held every word match
                    break
            window *= 8
        return [Candidate(r[1], float(r[0]), *r[2:]) for r in rows]

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
