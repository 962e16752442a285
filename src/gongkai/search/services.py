"""Writes of the search index. Callers run them inside their own transaction (publish, withdraw), so the
index and the public state change together or not at all.

Source apps describe what to index with `DocumentInput`; this app never reads their tables. Items that go
live later are indexed at once with their go-live time, and every query filters on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from gongkai.core.rich_text import html_to_text

from . import analysis as T
from .models import SearchDocument

if TYPE_CHECKING:
    from gongkai.core.db import BulkRows

MAX_ATTACHMENT_CHARS = 100_000


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    object_id: int
    url: str
    title: str
    published_at: dt.datetime
    go_live_at: dt.datetime
    organisation_id: int
    organisation_path: str
    organisation_name: str
    body: str = ""  # plain text
    # Rich text to add to `body` (as core.rich_text.html_to_text makes it plain, a line after it), made plain
    # where the fields are computed: in reindex's worker processes rather than in the one that reads.
    body_html: str = ""
    document_number: str = ""
    attachment_texts: tuple[str, ...] = field(default_factory=tuple)
    column_id: int | None = None
    column_name: str = ""
    topic: str = ""
    genre: str = ""
    validity: str = ""
    # The body already segmented (T.segmented(body)), when the caller has it cheaper than segmenting here:
    # the scale seeder builds bodies from pre-segmented sentences.
    body_segmented: T.Segmented | None = None
    # The document's n-gram text (what document_fields makes of the title, number, body and attachments: the
    # same grams, in any order), when the caller has it cheaper: the scale seeder does.
    grams: str | None = None


def document_fields(doc: DocumentInput) -> dict[str, Any]:
    """The index row's field values for `doc`, segmented (by attname, without the primary key), and under
    "grams" the text of its character n-grams (see GRAMS)."""
    attachments = "\n".join(doc.attachment_texts)[:MAX_ATTACHMENT_CHARS]
    key = T.document_number_key(doc.document_number)
    title = T.segmented(doc.title, with_grams=doc.grams is None)
    body = doc.body_segmented or T.segmented(plain_body(doc))
    s_attachments, attachment_extra = T.index_and_extra(attachments)
    cited = sorted((set(title.cited) | set(body.cited)) - {key})
    return dict(
        kind=doc.kind,
        object_id=doc.object_id,
        url=doc.url,
        organisation_id=doc.organisation_id,
        organisation_path=doc.organisation_path,
        organisation_name=doc.organisation_name[:100],
        column_id=doc.column_id,
        column_name=doc.column_name[:60],
        topic=doc.topic,
        genre=doc.genre,
        validity=doc.validity,
        year=timezone.localtime(doc.published_at).year,
        published_at=doc.published_at,
        go_live_at=doc.go_live_at,
        title=doc.title[:300],
        document_number=doc.document_number[:100],
        document_number_key=key[:300],
        s_title=title.index,
        s_docno=" ".join(filter(None, [T.index_text(doc.document_number), key])),
        s_body=body.index,
        s_attachments=s_attachments,
        s_extra=" ".join([*title.extra, *body.extra, *attachment_extra, *cited]),
        grams=doc.grams if doc.grams is not None else T.grams_text(
            title.grams, T.grams(T.normalise(doc.document_number[:100])), body.grams, T.grams(T.display(s_attachments))),
    )


def plain_body(doc: DocumentInput) -> str:
    """The document's body as plain text: `body`, and `body_html` made plain on a line after it."""
    if not doc.body_html:
        return doc.body
    return "\n".join(filter(None, [doc.body, html_to_text(doc.body_html)]))


def stored_grams(s_title: str, document_number: str, s_body: str, s_attachments: str) -> str:
    """The n-gram text of a stored index row, from its columns: what document_fields gave when it was built
    (SQLite's triggers call it as the SQL function gongkai_grams, to add and to delete a row's n-grams)."""
    return T.grams_text(*(T.grams(T.display(t or "")) for t in (s_title, s_body, s_attachments)),
                        T.grams(T.normalise(document_number or "")))


def build_document(doc: DocumentInput) -> SearchDocument:
    """The index row for `doc`, segmented (not saved)."""
    fields = document_fields(doc)
    del fields["grams"]
    return SearchDocument(**fields)


def index_document(doc: DocumentInput) -> None:
    """Add or replace the index entry for one object."""
    fields = document_fields(doc)
    grams = fields.pop("grams")
    row = SearchDocument(**fields)
    with transaction.atomic():
        SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id).delete()
        row.save()
        if connection.vendor == "postgresql":  # SQLite's trigger computes them (gongkai_grams)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {TABLE} SET grams = %s::tsvector WHERE id = %s", [grams, row.pk])  # noqa: S608 — constants and placeholders only


def remove_document(kind: str, object_id: int) -> None:
    """Take an object out of the index (withdrawn, deleted)."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def bulk_index(docs: Iterable[DocumentInput], *, batch_size: int = 1000,
               prepare: Callable[[Iterable[DocumentInput]], Iterable[dict[str, Any]]] | None = None) -> Iterator[int]:
    """Insert many new entries through bulk_load (reindex); the objects must not be indexed already.
    `prepare` turns the documents into document_fields (by default here, one by one; reindex hands them to
    worker processes). Yields the size of each batch as it lands."""
    vendor = connection.vendor
    writer = document_writer(vendor)
    next_id = (SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batch: list[tuple[Any, ...]] = []
    with bulk_loading():
        for fields in (prepare or _prepare_here)(docs):
            batch.append(writer.row(fields | {"id": next_id}))
            next_id += 1
            if len(batch) >= batch_size:
                bulk_load(batch, writer)
                yield len(batch)
                batch = []
        if batch:
            bulk_load(batch, writer)
            yield len(batch)
    finish_bulk()


def _prepare_here(docs: Iterable[DocumentInput]) -> Iterator[dict[str, Any]]:
    return map(document_fields, docs)


def finish_bulk() -> None:
    """After bulk loads on PostgreSQL: the id sequence past the explicit ids, and fresh statistics (the
    search reads them to choose its plan). (SQLite's full-text tables are merged by bulk_loading.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), (SELECT max(id) FROM {TABLE}))")  # noqa: S608 — constants only
        cursor.execute(f"ANALYZE {TABLE}")


TABLE = SearchDocument._meta.db_table
FTS_COLUMNS = "s_title, s_docno, s_body, s_attachments, s_extra"
# SQLite's n-gram index (migration 0004): a contentless FTS5 table of one column, filled from the "grams" text.
GRAMS = "search_grams"
GRAMS_FROM_COLUMNS = "gongkai_grams(s_title, document_number, s_body, s_attachments)"


def document_writer(vendor: str) -> BulkRows:
    """The bulk writer of index rows (`row(document_fields(doc) | {"id": ...})`), for bulk_load."""
    from gongkai.core.db import BulkRows

    return BulkRows(SearchDocument, vendor, extra_columns=("grams",))


def bulk_load(rows: list[tuple[Any, ...]], writer: BulkRows) -> None:
    """Insert many new index rows (`writer.row()` tuples from document_writer) in the caller's transaction.
    Their ids must be above every existing one.

    PostgreSQL: one COPY, n-grams included (the tsvector columns are computed there). SQLite: the FTS5
    insert triggers are dropped for the load and re-created with their own stored SQL; the words' full-text
    rows are added in one INSERT … SELECT and the n-grams by one executemany from the rows' "grams" values
    (computed by whoever built the rows, in parallel when the seeder's workers did): through the triggers,
    row by row, the load took twice as long (docs/benchmarks.md). SQLite's DDL is transactional, so if
    anything fails the triggers are back as they were.
    """
    if not rows:
        return
    if connection.vendor != "sqlite":
        writer.write(rows)
        return
    pk = writer.attnames.index("id")
    first_id = min(row[pk] for row in rows)
    with transaction.atomic(), connection.cursor() as cursor, _without_triggers(cursor, "ai"):
        writer.write([row[:-1] for row in rows], columns=len(writer.columns) - 1)
        cursor.execute(
            f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} "  # noqa: S608 — constants only
            f"FROM {TABLE} WHERE id >= %s",
            [first_id],
        )
        cursor.executemany(f"INSERT INTO {GRAMS}(rowid, grams) VALUES (%s, %s)", [(row[pk], row[-1]) for row in rows])  # noqa: S608 — constants only


# SQLite's full-text tables during a bulk load (bulk_loading) and their defaults (FTS5's documented ones).
_BULK_FTS_SETTINGS = {"automerge": 0, "crisismerge": 256, "hashsize": 64 * 1024 * 1024}
_DEFAULT_FTS_SETTINGS = {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}


@contextmanager
def bulk_loading() -> Iterator[None]:
    """Around many bulk_load calls (a seeding, a reindex) on SQLite: both full-text tables keep the segments
    each transaction writes instead of merging them as they go, from a larger in-memory buffer, and merge
    them into one at the end ('optimize'). As they grew, every posting was rewritten at each level of FTS5's
    merge tree (4 segments into 1); at the end it is rewritten once. Also when the load fails: the tables are
    left merged and with their usual settings. Nothing to do on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    _fts_settings(_BULK_FTS_SETTINGS)
    try:
        yield
    finally:
        _fts_settings(_DEFAULT_FTS_SETTINGS)
        with connection.cursor() as cursor:
            for table in ("search_fts", GRAMS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608 — constants only


def _fts_settings(settings: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        for table in ("search_fts", GRAMS):
            for name, value in settings.items():
                cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES (%s, %s)", [name, value])  # noqa: S608 — constants and placeholders only


@contextmanager
def _without_triggers(cursor: Any, event: str) -> Iterator[None]:
    """SQLite: the two full-text tables' triggers for `event` ("ai": after insert, "ad": after delete) dropped
    for the block and made again from their own stored SQL; inside the caller's transaction (SQLite's DDL is
    transactional, so a failure leaves them as they were)."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s) ORDER BY name",
                   [f"search_fts_{event}", f"search_grams_{event}"])
    triggers = cursor.fetchall()
    for name, _ in triggers:
        cursor.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in triggers:
        cursor.execute(sql)


def clear(kind: str | None = None) -> None:
    """Empty the index, or take out every document of one kind.

    Emptying it on SQLite drops the rows without the per-row delete triggers and empties both full-text
    tables at once ('delete-all'): through the triggers each row's words and n-grams are tokenized again to be
    deleted, which took longer than building them."""
    if kind and SearchDocument.objects.exclude(kind=kind).exists():
        SearchDocument.objects.filter(kind=kind).delete()
        return
    if connection.vendor != "sqlite":
        # DELETE, not TRUNCATE: searches go on reading the old rows until the caller's transaction commits.
        SearchDocument.objects.all().delete()
        return
    with transaction.atomic(), connection.cursor() as cursor, _without_triggers(cursor, "ad"):
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 — constants only
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
        cursor.execute("INSERT INTO search_grams(search_grams) VALUES ('delete-all')")
