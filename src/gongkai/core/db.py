"""Small database helpers shared by the apps."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models import Func
from django.utils import timezone


class Unindexed(Func):
    """The column's value, marked so that SQLite's planner does not pick the column's index for it.

    On SQLite this is `+column` (unary plus is a no-op on any value, and a documented way to keep an index out
    of a plan). Without statistics on the value distribution SQLite takes a range like `go_live_at <= now` to
    be selective, walks that index over nearly every row and then sorts them all; measured at 300,000 items
    it turned the home page's 8-row queries into ~1 s sorts (docs/benchmarks.md). Other databases get the
    plain column.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _sqlite_datetime(value: Any) -> Any:
    # What Django's SQLite backend stores for an aware datetime: naive UTC, space-separated.
    if value is None:
        return None
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _iso_date(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _json(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False)


class BulkRows:
    """Rows of one model written straight into its table, for bulk loads (the scale seeder): one
    executemany on SQLite, COPY on PostgreSQL. No model instances, no per-field preparation beyond what the
    column type needs, no signals: `bulk_create` spent most of a seeding run preparing values.

    `row(values)` turns a dict of attnames into a tuple in column order (missing fields take their defaults,
    auto_now fields the time of construction); it is plain data, so rows can be built in other processes.
    `extra_columns` are columns the model does not declare (made by migrations), written after the fields.
    """

    def __init__(self, model: type[models.Model], vendor: str, extra_columns: tuple[str, ...] = ()) -> None:
        self.table = model._meta.db_table
        self.vendor = vendor
        fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields] + list(extra_columns)
        self.columns = [f.column for f in fields] + list(extra_columns)
        now = timezone.now()
        adapters: list[Callable[[Any], Any] | None] = []
        for f in fields:
            if isinstance(f, models.JSONField):
                adapters.append(_json)
            elif vendor == "sqlite" and isinstance(f, models.DateTimeField):
                adapters.append(_sqlite_datetime)
            elif vendor == "sqlite" and isinstance(f, models.DateField):
                adapters.append(_iso_date)
            else:
                adapters.append(None)
        self.adapters = adapters + [None] * len(extra_columns)
        self.defaults = [
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in fields
        ] + [None] * len(extra_columns)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, default, adapt in zip(self.attnames, self.defaults, self.adapters, strict=True):
            value = values.get(name, default)
            out.append(adapt(value) if adapt is not None and value is not None else value)
        return tuple(out)

    def write(self, rows: list[tuple[Any, ...]], using: str = "default", columns: int | None = None) -> None:
        """Insert `rows`; with `columns`, rows hold only the first that many columns."""
        connection = connections[using]
        quote = connection.ops.quote_name
        names = self.columns[:columns] if columns is not None else self.columns
        columns_sql = ", ".join(quote(c) for c in names)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns_sql}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({columns_sql}) VALUES ({marks})", rows)  # noqa: S608
