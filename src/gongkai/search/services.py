"""Writes of the search index. Callers run them inside their own transaction (publish, withdraw), so the
index and the public state change together or not at all.

Source apps describe what to index with `DocumentInput`; this app never reads their tables. Items that go
live later are indexed at once with their go-live time, and every query filters on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from . import text as T
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


def document_fields(doc: DocumentInput) -> dict[str, Any]:
    """The index row's field values for `doc`, segmented (by attname, without the primary key)."""
    attachments = "\n".join(doc.attachment_texts)[:MAX_ATTACHMENT_CHARS]
    key = T.document_number_key(doc.document_number)
    title = T.segmented(doc.title)
    body = doc.body_segmented or T.segmented(doc.body)
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
    )


def build_document(doc: DocumentInput) -> SearchDocument:
    """The index row for `doc`, segmented (not saved)."""
    return SearchDocument(**document_fields(doc))


def index_document(doc: DocumentInput) -> None:
    """Add or replace the index entry for one object."""
    row = build_document(doc)
    with transaction.atomic():
        SearchDocument.objects.filter(kind=doc.kind, object_id=doc.object_id).delete()
        row.save()


def remove_document(kind: str, object_id: int) -> None:
    """Take an object out of the index (withdrawn, deleted)."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def bulk_index(docs: Iterable[DocumentInput], *, batch_size: int = 500) -> int:
    """Insert many new entries (reindex, seeding); the objects must not be indexed already."""
    count = 0
    batch: list[SearchDocument] = []
    for doc in docs:
        batch.append(build_document(doc))
        if len(batch) >= batch_size:
            SearchDocument.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        SearchDocument.objects.bulk_create(batch)
        count += len(batch)
    return count


FTS_COLUMNS = "s_title, s_docno, s_body, s_attachments, s_extra"


def bulk_load(rows: list[tuple[Any, ...]], writer: BulkRows) -> None:
    """Insert many new index rows (`writer.row()` tuples of SearchDocument) in the caller's transaction.
    Their ids must be above every existing one.

    On SQLite the FTS5 insert trigger is dropped for the load and re-created with its own stored SQL, and the
    full-text rows are added in one INSERT … SELECT: through the trigger, row by row, the load took twice as
    long (docs/benchmarks.md). SQLite's DDL is transactional, so if anything fails the trigger is back as it was.
    """
    if not rows:
        return
    if connection.vendor != "sqlite":
        writer.write(rows)
        return
    first_id = min(row[writer.attnames.index("id")] for row in rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_fts_ai'")
        (trigger_sql,) = cursor.fetchone()
        cursor.execute("DROP TRIGGER search_fts_ai")
        writer.write(rows)
        cursor.execute(
            f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) SELECT id, {FTS_COLUMNS} "  # noqa: S608 — constants only
            f"FROM {SearchDocument._meta.db_table} WHERE id >= %s",
            [first_id],
        )
        cursor.execute(trigger_sql)


def clear(kind: str | None = None) -> None:
    qs = SearchDocument.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    qs.delete()
