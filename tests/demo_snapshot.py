"""The demo city (`gongkai demo`) for tests: built once per run, copied into each test database that needs it.

Building the city takes most of a minute; modules that need it (the security suite, the demo's own tests, the
inspection of its sites, the browser sweeps) used to build it each, on each xdist worker. Now the first worker to
ask builds it in its own test database and keeps a copy — a file made with SQLite's backup API, or a template
database on PostgreSQL — and every module loads that copy in about a second. Each worker also keeps a copy of its
database as migrations left it, so that a module can hand the next one the database it found.

Uploaded files (the demo's PDF attachments) are written under MEDIA_ROOT, which every worker of a run shares, so
they are there for every copy. The demo is built for today: a copy never outlives its run.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class DemoSnapshot:
    """The demo city of this run, and this worker's database as migrations left it."""

    def __init__(self, shared_dir: Path) -> None:
        self.shared_dir = shared_dir
        self.lock = shared_dir / "demo-city.lock"
        self.output = ""
        self._pristine: sqlite3.Connection | None = None
        self._pristine_taken = False

    # ---- the two back ends -------------------------------------------------------------------------------

    @property
    def _sqlite(self) -> bool:
        return connection.vendor == "sqlite"

    def _raw_sqlite(self) -> sqlite3.Connection:
        connection.ensure_connection()
        raw = connection.connection
        assert isinstance(raw, sqlite3.Connection)
        return raw

    def _pg_names(self) -> tuple[str, str, str]:
        name = connection.settings_dict["NAME"]
        return name, f"{name}_pristine", "test_gongkai_demo_city"

    def _pg_copy(self, source: str, target: str) -> None:
        """CREATE DATABASE target as a copy of source (replacing target); no session may stay on either."""
        quote = connection.ops.quote_name
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (%s, %s) "
                "AND pid <> pg_backend_pid()", [source, target])
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)} STRATEGY FILE_COPY")

    # ---- what the fixtures call ---------------------------------------------------------------------------

    def _keep_pristine(self) -> None:
        if self._pristine_taken:
            return
        if self._sqlite:
            self._pristine = sqlite3.connect(":memory:")
            self._raw_sqlite().backup(self._pristine)
        else:
            name, pristine, _ = self._pg_names()
            self._pg_copy(name, pristine)
        self._pristine_taken = True

    def load(self) -> None:
        """Replace this worker's test database with the demo city (building it first if nobody has)."""
        self._keep_pristine()
        done = self.shared_dir / f"demo-city-{connection.vendor}.done"
        stored = self.shared_dir / "demo-city.sqlite3"
        with _locked(self.lock):
            if not done.exists():
                out = StringIO()
                call_command("demo", stdout=out)
                if self._sqlite:
                    target = sqlite3.connect(stored)
                    self._raw_sqlite().backup(target)
                    target.close()
                else:
                    name, _, city = self._pg_names()
                    self._pg_copy(name, city)
                done.write_text(out.getvalue(), encoding="utf-8")
            elif self._sqlite:
                source = sqlite3.connect(stored)
                source.backup(self._raw_sqlite())
                source.close()
            else:
                name, _, city = self._pg_names()
                self._pg_copy(city, name)
            self.output = done.read_text(encoding="utf-8")

    def unload(self) -> None:
        """Give this worker's test database back as migrations left it."""
        if not self._pristine_taken:
            return
        if self._sqlite:
            assert self._pristine is not None
            self._pristine.backup(self._raw_sqlite())
        else:
            name, pristine, _ = self._pg_names()
            self._pg_copy(pristine, name)

    def close(self) -> None:
        if self._pristine is not None:
            self._pristine.close()
        elif self._pristine_taken:
            _, pristine, _ = self._pg_names()
            connection.close()
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(pristine)} WITH (FORCE)")
