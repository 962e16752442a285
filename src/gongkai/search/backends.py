"""The two full-text back ends behind one interface: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both receive a parsed `text.Query` (never the raw input), build their own match expressions from its words
and n-grams with every one quoted as a literal, and take all other values as bound parameters: nothing a
person types is ever read as FTS or SQL syntax.

Each finds the newest CANDIDATES matches, by whole words first; only when those are fewer does it look for
documents that hold the query's runs as n-grams only (they rank below whole-word matches, so with CANDIDATES
of those no page could show them). A query with a quoted phrase is answered from the n-grams, each phrase then
checked verbatim. Neither ranks nor highlights: selectors does both, in Python, for what it shows.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from . import analysis as T
from .services import GRAMS

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
_COLUMNS = ("d.id, d.published_at, d.topic, d.genre, d.year, d.validity, d.organisation_id, d.column_id, d.s_title, "
            "d.document_number_key")
# What the walk's filters read (see _where and _phrase_clauses).
_WALK_COLUMNS = (
    "id, published_at, topic, genre, year, validity, organisation_id, column_id, vector, grams, go_live_at, "
    "organisation_path, kind, s_title, document_number_key, s_docno, s_body, s_attachments"
)
# ANALYZE's figures for the table, read at most once every STATS_SECONDS per process.
STATS_SECONDS = 600
_stats: dict[str, Any] = {"at": -STATS_SECONDS, "common": {}, "rarest": 0.0, "documents": 0}
# PostgreSQL looks for n-gram matches among the newest RECENT_ROWS documents first (_recent_since).
RECENT_ROWS = 40 * CANDIDATES
_recent: dict[str, Any] = {"at": -STATS_SECONDS, "since": None}


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
    """{lexeme: fraction of documents} for the most common ones of the words' vector, and the fraction no
    other lexeme exceeds."""
    _refresh_statistics()
    return _stats["common"], _stats["rarest"]


def _recent_since() -> Any:
    """The publication time of the RECENT_ROWS-th newest document (None in a smaller index), read at most
    once every STATS_SECONDS per process. Documents published since then are all at or after it, so the
    newest matches among `published_at >= since`, when there are CANDIDATES of them, are the newest of all;
    one published later with an older date is older than every one of them."""
    if time.monotonic() - _recent["at"] >= STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT published_at FROM {TABLE} ORDER BY published_at DESC, id DESC "  # noqa: S608 — constants only
                           f"OFFSET {RECENT_ROWS - 1} LIMIT 1")
            row = cursor.fetchone()
        _recent.update(at=time.monotonic(), since=row[0] if row else None)
    return _recent["since"]


def _walk_rows() -> int:
    _refresh_statistics()
    return max(MIN_WALK_ROWS, int(math.sqrt(CANDIDATES * _stats["documents"])))


@dataclass(frozen=True)
class Filters:
    """`organisation_path` a subtree ("": all), less the subtrees under `excluded_paths`; with `exact_path`, that
    organisation alone (a site's organisations: sites.SiteInfo.scope). `excluded_kinds`: kinds of document left
    out (the platform-wide search leaves out copies of items taken by other sites)."""

    organisation_path: str = ""
    excluded_paths: tuple[str, ...] = ()
    exact_path: bool = False
    excluded_kinds: tuple[str, ...] = ()
    column_ids: tuple[int, ...] = ()
    topic: str = ""
    genre: str = ""
    year: int | None = None
    validity: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    published_at: Any
    topic: str
    genre: str
    year: int | None
    validity: str
    organisation_id: int
    column_id: int | None
    s_title: str  # the segmented title and the 文号 key, which ranking reads
    document_number_key: str
    whole_words: bool = True  # matched by its words, not only by n-grams


def _candidate(row: Any, whole_words: bool) -> Candidate:
    """A Candidate from a row of _COLUMNS."""
    return Candidate(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], whole_words)


def _where(filters: Filters, now: dt.datetime, alias: str = "d") -> tuple[list[str], list[Any]]:
    clauses = [f"{alias}.go_live_at <= %s"]
    params: list[Any] = [now]
    if filters.organisation_path and filters.exact_path:
        clauses.append(f"{alias}.organisation_path = %s")
        params.append(filters.organisation_path)
    elif filters.organisation_path:
        clauses.append(f"{alias}.organisation_path LIKE %s")
        params.append(filters.organisation_path.replace("%", "").replace("_", "") + "%")
    for excluded in filters.excluded_paths:
        clauses.append(f"{alias}.organisation_path NOT LIKE %s")
        params.append(excluded.replace("%", "").replace("_", "") + "%")
    for kind in filters.excluded_kinds:
        clauses.append(f"{alias}.kind <> %s")
        params.append(kind)
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
    """Each phrase verbatim in the document's normalised text: in one of its columns, title first (a phrase
    without a space; each column alone is cheaper to search than all of them joined), or, with a space, in
    the columns joined with line breaks read as spaces (a query has none)."""
    find = "strpos" if connection.vendor == "postgresql" else "instr"
    columns = [f"{alias}.{c}" for c in ("s_title", "s_body", "s_attachments", "s_docno")]
    clauses, params = [], []
    for phrase in query.phrases:
        if " " in phrase:
            joined = " || ' ' || ".join(columns)
            clauses.append(f"({find}(replace(replace(replace({joined}, %s, ''), %s, ' '), %s, ' '), %s) > 0)")
            params.extend([T.SEP, "\n", "\r", phrase])
        else:
            clauses.append("(" + " OR ".join(f"{find}(replace({c}, %s, ''), %s) > 0" for c in columns) + ")")
            params.extend([T.SEP, phrase] * len(columns))
    return clauses, params


class SQLiteBackend:
    """FTS5 over the segmented words (search_fts, external content) and over the n-grams (search_grams,
    contentless), both walked newest first (FTS5 reads its doclists in rowid order, which follows indexing
    time) and stopping at CANDIDATES: no bm25, which reads every matching word's whole doclist on every query
    for its document frequencies (45 of a two-word search's 56 ms at a million documents)."""

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

    def grams_expression(self, query: T.Query) -> str:
        grams = dict.fromkeys(g for run in query.fragments for g in T.run_grams(run))
        return " AND ".join(self._quote(g) for g in grams)

    def _newest(self, table: str, expression: str, query: T.Query, filters: Filters, now: dt.datetime,
                *, phrases: bool = False, whole_words: bool = True) -> list[Candidate]:
        if not expression:
            # FTS5 refuses an empty MATCH ("syntax error near ''"); an expression with nothing in it matches
            # nothing. parse_query gives no such query, this keeps it so whatever the parser becomes.
            return []
        where, params = _where(filters, now)
        checks, check_params = _phrase_clauses(query) if phrases else ([], [])
        # The time as stored (ISO text, which sorts as the time does): Django's converter to datetime was a third
        # of fetching the candidates, and ranking only compares it.
        columns = _COLUMNS.replace("d.published_at", "CAST(d.published_at AS TEXT)")
        sql = (
            f"SELECT {columns} FROM {table} JOIN {TABLE} d ON d.id = {table}.rowid "  # noqa: S608 — constants and placeholders only
            f"WHERE {table} MATCH %s AND {' AND '.join(where + checks)} "
            f"ORDER BY {table}.rowid DESC LIMIT {CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *params, *check_params])
            return [_candidate(row, whole_words) for row in cursor.fetchall()]

    def candidates(self, query: T.Query, filters: Filters, now: dt.datetime) -> list[Candidate]:
        """The newest CANDIDATES matches: whole words first, then (when they are fewer) n-grams only."""
        if query.document_number:
            return self._newest("search_fts", self.match_expression(query), query, filters, now)
        if query.phrases:
            return self._newest(GRAMS, self.grams_expression(query), query, filters, now, phrases=True)
        found = self._newest("search_fts", self.match_expression(query), query, filters, now) if query.terms else []
        if len(found) < CANDIDATES and query.runs:
            seen = {c.id for c in found}
            more = self._newest(GRAMS, self.grams_expression(query), query, filters, now, whole_words=False)
            found += [c for c in more if c.id not in seen][: CANDIDATES - len(found)]
        return found

    def index_queries(self, query: T.Query) -> list[tuple[str, list[Any]]]:
        """The bare index lookups behind `candidates` (no join, filter, check or ranking): the yardstick of
        bench/search/queries.py."""
        def bare(table: str, expression: str) -> tuple[str, list[Any]]:
            return (f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT {CANDIDATES}",  # noqa: S608 — constants only
                    [expression])

        if query.document_number:
            return [bare("search_fts", self.match_expression(query))]
        if query.phrases:
            lookups = [(GRAMS, self.grams_expression(query))]
        else:
            lookups = [("search_fts", self.match_expression(query)), (GRAMS, self.grams_expression(query))]
        return [bare(table, expression) for table, expression in lookups if expression]


class PostgresBackend:
    """tsvector ('simple' configuration over pre-segmented text) with a GIN index, and a tsvector of the
    n-grams without positions with another; the newest matches found by a walk or a bitmap (candidates)."""

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

    def grams_tsquery(self, query: T.Query) -> str:
        grams = dict.fromkeys(g for run in query.fragments for g in T.run_grams(run))
        return " & ".join(self._quote(g) for g in grams)

    def candidates(self, query: T.Query, filters: Filters, now: dt.datetime) -> list[Candidate]:
        """The newest CANDIDATES matches: whole words first (with the phrases checked verbatim), then (when
        they are fewer) n-grams."""
        if query.document_number:
            return self._newest("vector", self.tsquery(query), self._words_bound(query), query, filters, now)
        phrases = bool(query.phrases)
        found = (self._newest("vector", self.tsquery(query), self._words_bound(query), query, filters, now,
                              phrases=phrases)
                 if query.terms else [])
        if len(found) < CANDIDATES and (query.runs or phrases):
            # A phrase's text may cut through words too: the n-grams find those (and, checked, only those).
            seen = {c.id for c in found}
            more = self._newest("grams", self.grams_tsquery(query), 0.0, query, filters, now, phrases=phrases,
                                whole_words=phrases)
            found += [c for c in more if c.id not in seen][: CANDIDATES - len(found)]
        return found

    def _newest(self, column: str, tsquery: str, bound: float, query: T.Query, filters: Filters,
                now: dt.datetime, *, phrases: bool = False, whole_words: bool = True) -> list[Candidate]:
        """The newest CANDIDATES rows whose `column` matches, in one of two ways chosen here, not by the planner.

        Walk: test the newest _walk_rows() documents in recency order, stopping at CANDIDATES matches; its cost
        does not depend on the size of the index, only on how common the words are. Bitmap: all matches from
        the GIN index, then the newest; its cost grows with the number of matches. The planner misjudges both:
        it multiplies the frequencies of AND-ed words as if independent (高新技术 & 企业 & 认定: 5,431 estimated,
        28,620 real at 100,000 documents) and does not count the cost of reading each row's vector in the
        walk, so it took the bitmap for common word pairs and the walk for rare words. The walk goes first
        unless the statistics (`bound`: the most a query can match, as a fraction of documents) show it cannot
        succeed; when it finds fewer than CANDIDATES, the matches are rare among recent documents and the
        bitmap is cheap. The n-grams are never walked: their vector (~5 KB, in TOAST) costs ~30 µs a row to
        read, and ANALYZE's figures for them are of no use (its cut-off, relative to all lexeme occurrences,
        keeps only n-grams in more than half the documents); the GIN bitmap needs no recheck and reads no vector.
        """
        if not tsquery:
            return []  # to_tsquery('') matches nothing (with a NOTICE); as SQLite does, without asking
        where, params = _where(filters, now)
        checks, check_params = _phrase_clauses(query) if phrases else ([], [])
        rows: list[Any] = []
        walk_rows = _walk_rows()
        if column == "vector" and bound >= CANDIDATES / walk_rows:
            # The inner query reads the newest walk_rows rows in index order; the outer one keeps that order,
            # so PostgreSQL stops as soon as it has CANDIDATES matches.
            walk = (
                f"SELECT {_COLUMNS} FROM (SELECT {_WALK_COLUMNS} FROM {TABLE} ORDER BY published_at DESC, id DESC "  # noqa: S608 — constants and placeholders only
                f"LIMIT {walk_rows}) d WHERE d.{column} @@ to_tsquery('simple', %s) AND {' AND '.join(where + checks)} "
                f"ORDER BY d.published_at DESC, d.id DESC LIMIT {CANDIDATES}"
            )
            with connection.cursor() as cursor:
                cursor.execute(walk, [tsquery, *params, *check_params])
                rows = cursor.fetchall()
        if len(rows) < CANDIDATES and column == "grams" and (since := _recent_since()) is not None:
            # The n-grams of a fragment are common pairs (技术, 企业): their bitmap over every document is
            # large and each match's row has to be read for its time. Among the newest RECENT_ROWS first (the
            # bitmap ANDed with the recency index's range): enough matches there are the newest of all.
            rows = self._bitmap(column, tsquery, [*where, "d.published_at >= %s"], [*params, since], checks,
                                check_params)
        if len(rows) < CANDIDATES:
            rows = self._bitmap(column, tsquery, where, params, checks, check_params)
        return [_candidate(row, whole_words) for row in rows]

    @staticmethod
    def _bitmap(column: str, tsquery: str, where: list[str], params: list[Any], checks: list[str],
                check_params: list[Any]) -> list[Any]:
        """Every match, materialised (so that no index order tempts the planner into a walk), then the
        newest; a phrase is checked on them newest first, stopping at CANDIDATES."""
        bitmap = (
            f"WITH m AS MATERIALIZED (SELECT d.id, d.published_at FROM {TABLE} d "  # noqa: S608 — constants and placeholders only
            f"WHERE d.{column} @@ to_tsquery('simple', %s) AND {' AND '.join(where)}) "
            f"SELECT {_COLUMNS} FROM (SELECT id, published_at FROM m ORDER BY published_at DESC, id DESC"
            f"{'' if checks else f' LIMIT {CANDIDATES}'}) n JOIN {TABLE} d ON d.id = n.id "
            f"{'WHERE ' + ' AND '.join(checks) if checks else ''} "
            f"ORDER BY n.published_at DESC, n.id DESC LIMIT {CANDIDATES}"
        )
        with connection.cursor() as cursor:
            cursor.execute(bitmap, [tsquery, *params, *check_params])
            return cursor.fetchall()

    def _words_bound(self, query: T.Query) -> float:
        """The most the words can match, by ANALYZE's statistics of the vector's most common lexemes: an AND
        matches no more often than its rarest part, an alternative (高新技术 | 高新 & 技术) no more than the sum
        of its branches. Without statistics: everything."""
        common, rarest = _lexeme_frequencies()
        if not common:
            return 1.0

        def freq(word: str) -> float:
            return common.get(word, rarest)

        if query.document_number:
            return freq(query.document_number)
        return min(
            (min(1.0, freq(t.word) + min(freq(w) for w in t.alternatives)) if t.alternatives else freq(t.word)
             for t in query.terms),
            default=1.0,
        )

    def index_queries(self, query: T.Query) -> list[tuple[str, list[Any]]]:
        """The bare index lookups behind `candidates`, as the planner runs them (no filter, check or ranking):
        the yardstick of bench/search/queries.py."""
        def bare(column: str, tsquery: str) -> tuple[str, list[Any]]:
            return (f"SELECT id FROM {TABLE} WHERE {column} @@ to_tsquery('simple', %s) "  # noqa: S608 — constants only
                    f"ORDER BY published_at DESC, id DESC LIMIT {CANDIDATES}", [tsquery])

        if query.document_number:
            return [bare("vector", self.tsquery(query))]
        if query.phrases:
            lookups = [("grams", self.grams_tsquery(query))]
        else:
            lookups = [("vector", self.tsquery(query)), ("grams", self.grams_tsquery(query))]
        return [bare(column, tsquery) for column, tsquery in lookups if tsquery]


def backend() -> SQLiteBackend | PostgresBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
