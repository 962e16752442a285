"""The audit trail is append-only, in the ORM and in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.core.models import AuditEvent
from gongkai.core.services import record_event


@pytest.mark.django_db
def test_database_refuses_update_and_delete_of_audit_rows() -> None:
    event = record_event(actor=None, action="test.done", object_type="test", object_id="1", summary="原始记录")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    for sql in (f"UPDATE {table} SET summary = 'forged' WHERE id = %s",  # noqa: S608 — constant table name
                f"DELETE FROM {table} WHERE id = %s"):  # noqa: S608
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "原始记录"
    record_event(actor=None, action="test.more", object_type="test", object_id="2")  # appending still works
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_orm_refuses_too() -> None:
    event = record_event(actor=None, action="test.done", object_type="test", object_id="1")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_start_from_an_empty_trail() -> None:
    record_event(actor=None, action="test.done", object_type="test", object_id="1")
    assert AuditEvent.objects.count() == 1  # flushed afterwards despite the trigger (tests/conftest.py)
