"""The search index: one denormalised document per published object.

`SearchDocument` holds what filters, facets and result lists need without touching the source app's tables,
and the segmented text (see analysis.py). The full-text structure over it depends on the database:
SQLite: an FTS5 table `search_fts` with external content (this table), kept in step by backends.SQLiteBackend;
PostgreSQL: a `vector` tsvector column on this table with a GIN index (both made by migration 0002).
"""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    url = models.CharField(max_length=200)
    organisation_id = models.BigIntegerField()
    organisation_path = models.CharField(max_length=255)
    organisation_name = models.CharField(max_length=100)
    column_id = models.BigIntegerField(null=True)
    column_name = models.CharField(max_length=60, blank=True)
    topic = models.CharField(max_length=10, blank=True)
    genre = models.CharField(max_length=20, blank=True)
    validity = models.CharField(max_length=10, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    published_at = models.DateTimeField()
    go_live_at = models.DateTimeField(help_text="hidden from every query until then (scheduled publishing)")
    title = models.CharField(max_length=300)
    document_number = models.CharField(max_length=100, blank=True)
    document_number_key = models.CharField(max_length=300, blank=True, db_index=True)
    # Segmented text (analysis.index_text / analysis.extra_text), the FTS columns.
    s_title = models.TextField()
    s_docno = models.TextField(blank=True)
    s_body = models.TextField(blank=True)
    s_attachments = models.TextField(blank=True)
    s_extra = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique_object")]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="search_doc_recent"),
            models.Index(fields=["organisation_path"], name="search_doc_org_path"),
        ]

    def __str__(self) -> str:
        return self.title
