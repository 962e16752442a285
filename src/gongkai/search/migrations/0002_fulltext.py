"""The full-text structures, per database: an FTS5 table with sync triggers on SQLite, a generated tsvector
column with a GIN index on PostgreSQL."""

from django.db import migrations

T = "search_searchdocument"
COLS = "s_title, s_docno, s_body, s_attachments, s_extra"
NEW = ", ".join(f"new.{c.strip()}" for c in COLS.split(","))
OLD = ", ".join(f"old.{c.strip()}" for c in COLS.split(","))

SQLITE_UP = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLS}, content='{T}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_fts_ai AFTER INSERT ON {T} BEGIN "
    f"INSERT INTO search_fts(rowid, {COLS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER search_fts_ad AFTER DELETE ON {T} BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER search_fts_au AFTER UPDATE ON {T} BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLS}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO search_fts(rowid, {COLS}) VALUES (new.id, {NEW}); END",
]
SQLITE_DOWN = ["DROP TRIGGER search_fts_au", "DROP TRIGGER search_fts_ad", "DROP TRIGGER search_fts_ai",
               "DROP TABLE search_fts"]

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, s_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, s_docno), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, s_body), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, s_attachments), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, s_extra), 'D')"
)
POSTGRES_UP = [
    f"ALTER TABLE {T} ADD COLUMN vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED",
    f"CREATE INDEX search_doc_vector ON {T} USING gin (vector)",
]
POSTGRES_DOWN = ["DROP INDEX search_doc_vector", f"ALTER TABLE {T} DROP COLUMN vector"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
