"""Small database helpers shared by the apps."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import Func, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # two names django-stubs lacks
    FlatValuesListIterable,
    ModelIterable,
    RelatedPopulator,
    ValuesListIterable,
    get_related_populators,
)
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


@lru_cache(maxsize=16)  # a seeded item's times are one value written several times
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
        self._adapted = [(n, adapt) for n, adapt in enumerate(adapters) if adapt is not None]
        self.defaults = [
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in fields
        ] + [None] * len(extra_columns)

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = [values.get(name, default) for name, default in zip(self.attnames, self.defaults, strict=True)]
        for n, adapt in self._adapted:
            if out[n] is not None:
                out[n] = adapt(out[n])
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


# ---- reads whose SQL is built once ---------------------------------------------------------------------------
# Django builds the SQL of a queryset anew on every evaluation: ~1 ms of CPU for an item with its organisation and
# column, several times what SQLite takes to answer it. The public pages' hottest reads have a fixed shape, so
# `prepared()` builds each shape's SQL once per process and database, then runs it with the request's values.

# The largest key a 64-bit integer column holds: a number beyond it (from an address) names nothing.
MAX_KEY = 2**63 - 1
_SAMPLE_INT = 7_340_032_000_000_001  # no real key or count is this large
_SAMPLE_TIME = dt.datetime(2987, 6, 5, 4, 3, 2, 100_000, tzinfo=dt.UTC)
_MAX_PLANS = 2_000  # shapes per process; past it, further shapes are built on every call (never wrong)


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int, Callable[[Any, Any], Any]], ...]  # (param position, argument, prepare)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    rows: str  # "models", "flat" or "tuples"
    model: Any
    init_list: tuple[str, ...]
    start: int
    end: int
    related: tuple[RelatedPopulator, ...]
    annotations: tuple[tuple[str, int], ...]


_plans: dict[tuple[Hashable, ...], _Plan] = {}
_plans_lock = threading.Lock()


def _identity(value: Any, connection: Any) -> Any:
    return value


def _adapt_time(value: Any, connection: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _samples(args: Sequence[Any]) -> tuple[list[Any], list[tuple[Any, int, Callable[[Any, Any], Any]]]]:
    """Stand-ins for `args` that cannot be mistaken for a constant of the query, and how to find each again."""
    values: list[Any] = []
    wanted: list[tuple[Any, int, Callable[[Any, Any], Any]]] = []
    for index, arg in enumerate(args):
        if isinstance(arg, bool) or arg is None:
            raise TypeError("prepared(): pass a flag or None in the key, not as a value")
        if isinstance(arg, int):
            values.append(_SAMPLE_INT + index)
            wanted.append((_SAMPLE_INT + index, index, _identity))
        elif isinstance(arg, str):
            # Unit separators: no organisation code, slug or word of a query contains them.
            text = f"\x1fprepared-{index}\x1f"
            values.append(text)
            wanted.append((text, index, _identity))
        elif isinstance(arg, dt.datetime):
            sample = _SAMPLE_TIME + dt.timedelta(seconds=index)
            values.append(sample)
            wanted.append((sample, index, _adapt_time))
        else:
            raise TypeError(f"prepared(): cannot stand in for a {type(arg).__name__}")
    return values, wanted


def _plan(queryset: QuerySet[Any], alias: str, wanted: list[tuple[Any, int, Callable[[Any, Any], Any]]]) -> _Plan:
    connection = connections[alias]
    compiler = queryset.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. `pk__in` an empty list: this shape never matches anything
        return _Plan("", (), (), (), "flat", None, (), 0, 0, (), ())
    slots = []
    for sample, index, prepare in wanted:
        found = [pos for pos, param in enumerate(params) if param == prepare(sample, connection)]
        if not found:
            raise ValueError(f"prepared(): argument {index} does not reach the SQL as a parameter")
        slots += [(pos, index, prepare) for pos in found]
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = tuple((pos, tuple(convs), expression)
                       for pos, (convs, expression) in compiler.get_converters(fields).items())
    if queryset._iterable_class in (FlatValuesListIterable, ValuesListIterable):
        rows = "flat" if queryset._iterable_class is FlatValuesListIterable else "tuples"
        return _Plan(sql, tuple(params), tuple(slots), converters, rows, None, (), 0, 0, (), ())
    if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise TypeError("prepared(): model rows or values_list() only, without prefetching")
    klass_info = compiler.klass_info
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Plan(
        sql, tuple(params), tuple(slots), converters, "models", klass_info["model"],
        tuple(f[0].target.attname for f in compiler.select[start:end]), start, end,
        tuple(get_related_populators(klass_info, compiler.select, alias)),
        tuple((compiler.annotation_col_map or {}).items()),
    )


def prepared(model: type[models.Model], key: Hashable, build: Callable[..., QuerySet[Any]], *args: Any) -> list[Any]:
    """`list(build(*args))` for a queryset of `model`, with the SQL Django builds for `key` kept and reused.

    `key` names everything that shapes the query besides `args` (which lookups, which constants: a kind, a
    site's scope, a limit); `args` are the values that change from call to call, each an int, a str or an
    aware datetime, and must reach the SQL as parameters (checked when the shape is first built). A list's length
    shapes the SQL: pass its items as arguments (the count of arguments is part of the key). `build` returns
    model instances (select_related allowed, no prefetching) or `values_list()` rows; it is called
    only when a shape is first seen on a database, with stand-ins for the arguments.
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    plan_key = (key, alias, connection.vendor, len(args))
    plan = _plans.get(plan_key)
    if plan is None:
        samples, wanted = _samples(args)
        queryset = build(*samples)
        assert queryset.model is model, (queryset.model, model)
        plan = _plan(queryset, alias, wanted)
        with _plans_lock:
            if len(_plans) < _MAX_PLANS:
                _plans[plan_key] = plan
    if not plan.sql:
        return []
    params = list(plan.params)
    for pos, index, prepare in plan.slots:
        params[pos] = prepare(args[index], connection)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    if plan.converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for pos, convs, expression in plan.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
    if plan.rows == "flat":
        return [row[0] for row in rows]
    if plan.rows == "tuples":
        return [tuple(row) for row in rows]
    objects = []
    for row in rows:
        obj = plan.model.from_db(alias, plan.init_list, row[plan.start:plan.end])
        for populator in plan.related:
            populator.populate(row, obj)
        for name, pos in plan.annotations:
            setattr(obj, name, row[pos])
        objects.append(obj)
    return objects
