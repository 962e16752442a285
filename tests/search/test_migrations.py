"""Upgrading a database whose index was built before the n-grams: the migration fills them in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gongkai.search import services
from gongkai.search.selectors import search


def _migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("search", target)])


@pytest.mark.django_db(transaction=True)
def test_the_grams_migration_indexes_documents_already_there():
    _migrate("0003_postgres_inline_vector")
    try:
        now = timezone.now() - dt.timedelta(minutes=1)
        fields = services.document_fields(services.DocumentInput(
            kind="item", object_id=7, url="/items/7/", title="关于申领创新券的通知", body="科学技术局受理申请。",
            published_at=now, go_live_at=now, organisation_id=1, organisation_path="0001", organisation_name="某局"))
        del fields["grams"]
        services.SearchDocument.objects.create(**fields)  # as the code before the n-grams stored it
    finally:
        _migrate("0004_grams")
    assert [h.object_id for h in search("新券").hits] == [7]
    assert [h.object_id for h in search("学技术局").hits] == [7]
    services.remove_document("item", 7)
    assert search("新券").hits == []
