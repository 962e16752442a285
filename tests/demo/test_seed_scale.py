"""`gongkai seed-scale`: the synthetic province is live, searchable, indexed exactly as publishing would index
it, and leaves the full-text machinery as it found it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from gongkai.catalog.models import Column, Item
from gongkai.catalog.search_documents import item_document
from gongkai.catalog.selectors import live_items
from gongkai.orgs.models import Organisation
from gongkai.review.models import Revision
from gongkai.search import services
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import search
from gongkai.search.services import build_document

GONGKAI = Path(sys.executable).parent / "gongkai"
FTS_COLUMNS = tuple(services.FTS_COLUMNS.split(", "))


def _fts_trigger_sql() -> str | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'search_fts_ai'")
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db
def test_seeded_items_are_live_revised_and_indexed_as_publishing_would() -> None:
    trigger = _fts_trigger_sql()
    call_command("seed-scale", items=120, orgs=25, batch=50, workers=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert Organisation.objects.count() == 25
    assert Column.objects.count() == 25 * 7
    assert Item.objects.count() == 120 == live_items().count()
    assert Revision.objects.count() == 120 == SearchDocument.objects.count()
    assert not Item.objects.exclude(live_revision__object_id=F("id")).exists()
    assert Item.objects.filter(index_number__isnull=True).count() == 0

    # Every search document is what publishing (or `gongkai reindex`) would have built for the same item.
    for item in Item.objects.select_related("organisation", "column").order_by("?")[:15]:
        seeded = SearchDocument.objects.get(kind="item", object_id=item.pk)
        document = item_document(item)
        assert document is not None
        expected = build_document(document)
        for field in ("title", "document_number_key", "year", "organisation_path", *FTS_COLUMNS):
            assert getattr(seeded, field) == getattr(expected, field), field

    # The full-text index holds them, and the trigger that keeps it in step is back as it was.
    assert _fts_trigger_sql() == trigger
    numbered = Item.objects.exclude(document_number="").first()
    assert numbered is not None
    assert numbered.pk in [hit.object_id for hit in search(numbered.document_number).hits]
    word_hits = search("通知")
    assert word_hits.total > 0


def _index_rows() -> list[tuple[object, ...]]:
    """The index as searches read it: every document's words, and its n-grams (PostgreSQL's vector of them;
    SQLite's n-gram table keeps no text, so the n-grams its triggers would compute from the stored columns)."""
    rows = []
    for doc in SearchDocument.objects.order_by("kind", "object_id"):
        rows.append((doc.kind, doc.object_id, doc.title, doc.document_number_key, doc.published_at,
                     *(getattr(doc, f) for f in FTS_COLUMNS)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT object_id, tsvector_to_array(grams) FROM {services.TABLE} ORDER BY kind, object_id")  # noqa: S608 — constants only
            grams = [(object_id, sorted(lexemes)) for object_id, lexemes in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT rowid FROM {services.GRAMS} WHERE {services.GRAMS} MATCH '\"技术\"' ORDER BY rowid")  # noqa: S608 — constants only
            found = {rowid for (rowid,) in cursor.fetchall()}
            grams = [(doc.object_id, doc.pk in found) for doc in SearchDocument.objects.order_by("kind", "object_id")]
    return [*rows, *grams]


@pytest.mark.django_db
def test_reindex_gives_the_index_a_fresh_seeding_gave() -> None:
    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("seed-scale", items=90, orgs=21, batch=40, workers=0, stdout=out)
    seeded = _index_rows()
    fragment = search("学技术局")
    assert fragment.hits
    call_command("reindex", workers=0, batch=25, stdout=out)
    assert _index_rows() == seeded
    assert [h.object_id for h in search("学技术局").hits] == [h.object_id for h in fragment.hits]


@pytest.mark.django_db
def test_refuses_a_database_with_items_unless_appending() -> None:
    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("seed-scale", items=10, orgs=21, workers=0, stdout=out)
    with pytest.raises(CommandError, match="已有公开信息"):
        call_command("seed-scale", items=10, orgs=21, workers=0, stdout=out)
    call_command("seed-scale", items=15, orgs=21, workers=0, append=True, stdout=out)
    assert Item.objects.count() == 25 == SearchDocument.objects.count()
    assert Organisation.objects.count() == 21  # the same province, not a second one
    assert len(set(Item.objects.values_list("index_number", flat=True))) == 25
    with pytest.raises(CommandError):
        call_command("seed-scale", items=-1, workers=0, stdout=out)


def _migrated(data_dir: Path) -> Path:
    """A data directory with a migrated database, to be copied: migrating twice would only cost time."""
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    subprocess.run([str(GONGKAI), "migrate", "-v0"], env=env, check=True, timeout=300)
    return data_dir


def _seed(data_dir: Path, workers: int) -> Path:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    done = subprocess.run(
        [str(GONGKAI), "seed-scale", "--items", "400", "--orgs", "30", "--batch", "150", "--workers", str(workers)],
        env=env, check=True, timeout=300, capture_output=True, text=True,
    )
    assert "400 items in" in done.stdout
    return data_dir / "gongkai.sqlite3"


def test_worker_processes_write_the_same_province_as_one_process(tmp_path: Path) -> None:
    """Batches come from their own random streams: forked generators change the speed, not the data."""
    queries = [
        "SELECT id, title, body, document_number, topic, genre, validity, index_number FROM catalog_item ORDER BY id",
        f"SELECT id, object_id, {', '.join(FTS_COLUMNS)} FROM search_searchdocument ORDER BY id",  # noqa: S608 — constants only
        "SELECT rowid FROM search_fts WHERE search_fts MATCH '通知' ORDER BY rowid",
    ]
    results = []
    migrated = _migrated(tmp_path / "migrated")
    for workers in (0, 2):
        data_dir = tmp_path / f"w{workers}"
        shutil.copytree(migrated, data_dir)
        db = sqlite3.connect(_seed(data_dir, workers))
        results.append([db.execute(q).fetchall() for q in queries])
        (count,) = db.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH '工作'").fetchone()
        assert count > 0
        db.close()
    assert results[0] == results[1]
