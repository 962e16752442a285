"""Character n-grams beside the words, so that a query cutting through a segmented word finds its documents
(学技术局 in 科学技术局, 新券 in 创新券). See search/analysis.py (`grams`) and docs/architecture.md.

SQLite: a contentless FTS5 table `search_grams` of one column (no positions: presence is all a query needs,
and phrases are checked against the text), kept in step by triggers that call gongkai_grams(), an SQL function
every connection of ours registers (search/apps.py). PostgreSQL: a `grams` tsvector column without positions
and its GIN index; the application writes it (services.index_document, services.bulk_load).

SQLite's words table is rebuilt too, without positions and column sizes (`detail=none, columnsize=0`): nothing
reads them any more (ranking and highlighting moved to Python; phrases are checked in the text), and they were
most of its size and a quarter of its indexing time (docs/benchmarks.md).

Existing documents get their n-grams (and on SQLite their words again) here, in batches; the operator guide's
upgrade section gives the time it takes.
"""

import sys

from django.db import migrations

T = "search_searchdocument"
COLUMNS = "s_title, document_number, s_body, s_attachments"
BATCH = 2000

WORDS = "s_title, s_docno, s_body, s_attachments, s_extra"
NEW = ", ".join(f"new.{c.strip()}" for c in WORDS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in WORDS.split(","))
TOKENIZER = "tokenize='unicode61 remove_diacritics 2'"


def _words_table(options: str) -> list[str]:
    """search_fts (migration 0002) dropped and made again with `options`, its triggers, and its rows."""
    return [
        "DROP TRIGGER search_fts_au", "DROP TRIGGER search_fts_ad", "DROP TRIGGER search_fts_ai",
        "DROP TABLE search_fts",
        f"CREATE VIRTUAL TABLE search_fts USING fts5({WORDS}, content='{T}', content_rowid='id', {options}{TOKENIZER})",
        f"CREATE TRIGGER search_fts_ai AFTER INSERT ON {T} BEGIN "
        f"INSERT INTO search_fts(rowid, {WORDS}) VALUES (new.id, {NEW}); END",
        f"CREATE TRIGGER search_fts_ad AFTER DELETE ON {T} BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {WORDS}) VALUES ('delete', old.id, {OLD}); END",
        f"CREATE TRIGGER search_fts_au AFTER UPDATE ON {T} BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {WORDS}) VALUES ('delete', old.id, {OLD}); "
        f"INSERT INTO search_fts(rowid, {WORDS}) VALUES (new.id, {NEW}); END",
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    ]


SQLITE_UP = [
    *_words_table("columnsize=0, detail=none, "),
    "CREATE VIRTUAL TABLE search_grams USING fts5(grams, content='', columnsize=0, detail=none, tokenize='ascii')",
    f"CREATE TRIGGER search_grams_ai AFTER INSERT ON {T} BEGIN "
    "INSERT INTO search_grams(rowid, grams) "
    "VALUES (new.id, gongkai_grams(new.s_title, new.document_number, new.s_body, new.s_attachments)); END",
    f"CREATE TRIGGER search_grams_ad AFTER DELETE ON {T} BEGIN "
    "INSERT INTO search_grams(search_grams, rowid, grams) "
    "VALUES ('delete', old.id, gongkai_grams(old.s_title, old.document_number, old.s_body, old.s_attachments)); END",
    f"CREATE TRIGGER search_grams_au AFTER UPDATE ON {T} BEGIN "
    "INSERT INTO search_grams(search_grams, rowid, grams) "
    "VALUES ('delete', old.id, gongkai_grams(old.s_title, old.document_number, old.s_body, old.s_attachments)); "
    "INSERT INTO search_grams(rowid, grams) "
    "VALUES (new.id, gongkai_grams(new.s_title, new.document_number, new.s_body, new.s_attachments)); END",
]
SQLITE_DOWN = ["DROP TRIGGER search_grams_au", "DROP TRIGGER search_grams_ad", "DROP TRIGGER search_grams_ai",
               "DROP TABLE search_grams", *_words_table("")]
POSTGRES_UP = [f"ALTER TABLE {T} ADD COLUMN grams tsvector NOT NULL DEFAULT ''"]
POSTGRES_INDEX = f"CREATE INDEX search_doc_grams ON {T} USING gin (grams)"
POSTGRES_DOWN = ["DROP INDEX search_doc_grams", f"ALTER TABLE {T} DROP COLUMN grams"]


def _fill(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """The n-grams of the documents already indexed, in id order, a batch at a time."""
    from gongkai.search.services import stored_grams

    vendor = schema_editor.connection.vendor
    last, done = 0, 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT id, {COLUMNS} FROM {T} WHERE id > %s ORDER BY id LIMIT {BATCH}", [last])  # noqa: S608 — constants only
            rows = cursor.fetchall()
            if not rows:
                break
            values = [(stored_grams(*row[1:]), row[0]) for row in rows]
            if vendor == "postgresql":
                cursor.executemany(f"UPDATE {T} SET grams = %s::tsvector WHERE id = %s", values)  # noqa: S608
            else:
                cursor.executemany("INSERT INTO search_grams(grams, rowid) VALUES (%s, %s)", values)
            last, done = rows[-1][0], done + len(rows)
            if done % 50_000 < BATCH:
                sys.stdout.write(f"\n  search n-grams: {done:,} documents")
                sys.stdout.flush()


def up(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(vendor)
    if statements is None:
        return
    for sql in statements:
        schema_editor.execute(sql)
    _fill(schema_editor)
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_INDEX)  # after filling: building it once is cheaper than keeping it up


def down(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_inline_vector")]

    operations = [migrations.RunPython(up, down)]
