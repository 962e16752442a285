"""Small database helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db.models import Func


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
