"""Fixtures every test may use. Keep this small and generic: app-specific factories live by their tests."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

DEFAULT_PASSWORD = "correct-horse-battery-staple"

# No deadlines: on a busy machine (two cores shared by everyone, CI beside other work) one example may take 500 ms
# without anything being wrong, and hypothesis would call that a failure; nor is a slow data generator a failure.
# Speed is measured under bench/.
hypothesis_settings.register_profile("gongkai", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("gongkai")


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Iterator[None]:
    """Settings that make tests independent of the machine and fast.

    - Plain static storage: the production manifest storage fails on `{% static %}` until collectstatic has
      run, and tests must not depend on that (the live server finds files through the finders instead).
    - A fast password hasher: the default one is slow on purpose, which only slows every login in tests.
    - No public page cache: its per-process memory outlives each test's rolled-back database, where the
      generation starts again at 0 (tests/portal/test_page_cache.py turns it on and clears it).
    - No visit-flushing thread: tests that count visits flush them themselves (tests/visits).
    - Tasks run at once (mail queued after commit is delivered to Django's test outbox when the transaction's
      on-commit callbacks run), instead of waiting for a worker.
    """
    # WhiteNoise warns on every request handler it builds when STATIC_ROOT does not exist yet.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PAGE_CACHE_SECONDS=0,
        VISITS_FLUSH_SECONDS=0,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_passes_the_audit_trigger() -> Iterator[None]:
    """SQLite's flush (between transactional tests) is DELETE FROM each table, which the audit trail's
    append-only trigger refuses: the flush lifts the trigger and puts it back in the same transaction.
    (PostgreSQL flushes with TRUNCATE, which the trigger does not cover.)"""
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    guard = importlib.import_module("gongkai.core.migrations.0005_audit_append_only")
    original = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = original(self, style, tables, **kwargs)
        if "core_auditevent" not in tables:
            return statements
        return [*guard.SQLITE_REMOVE, *statements, *guard.SQLITE_INSTALL]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _force_login_is_a_whole_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for a completed staff login, second factor included, so that tests of
    reviewers' and administrators' pages need not enrol an authenticator; tests/accounts log in for real."""
    from django.test import Client

    from gongkai.accounts.login import mark_second_factor

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        mark_second_factor(session, "test")  # type: ignore[arg-type]
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


_usernames = itertools.count(1)


@pytest.fixture
def make_user(db: None) -> Callable[..., AbstractBaseUser]:
    """Returns a factory: `make_user()`, `make_user("zhangsan", is_staff=True, first_name="三")`.

    Every user's password is DEFAULT_PASSWORD unless `password=` is given.
    """

    def make(
        username: str | None = None, *, password: str = DEFAULT_PASSWORD, **fields: Any
    ) -> AbstractBaseUser:
        name = username or f"user{next(_usernames)}"
        fields.setdefault("email", f"{name}@example.test")
        return get_user_model().objects.create_user(username=name, password=password, **fields)

    return make


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """Tasks through the database queue, as `gongkai worker` runs them (the suite otherwise runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# ---- the demo city, built once per run (tests/demo_snapshot.py) ---------------------------------------------

@pytest.fixture(scope="session")
def demo_snapshot(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[Any]:
    from tests.demo_snapshot import DemoSnapshot

    # Under xdist every worker's base temporary directory sits in one directory of this run: the workers share it.
    base = tmp_path_factory.getbasetemp()
    snapshot = DemoSnapshot(base if worker_id == "master" else base.parent)
    yield snapshot
    with django_db_blocker.unblock():
        snapshot.close()


@pytest.fixture(scope="module")
def demo_city(demo_snapshot: Any, django_db_blocker: Any) -> Iterator[str]:
    """The demo city in the test database for the whole module (tests see it through `db` as usual); yields the
    demo command's output. The next module gets the database as it was before."""
    with django_db_blocker.unblock():
        demo_snapshot.load()
    yield demo_snapshot.output
    with django_db_blocker.unblock():
        demo_snapshot.unload()


# ---- the security suite's probe counts (tests/security): each worker writes its own, the run sums them ------

SECURITY_COUNTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "security-counts"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput") and SECURITY_COUNTS.exists():
        for stale in SECURITY_COUNTS.glob("*.json"):
            stale.unlink()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    total: Counter[str] = Counter()
    for path in SECURITY_COUNTS.glob("*.json") if SECURITY_COUNTS.exists() else []:
        total.update(json.loads(path.read_text()))
    if total:
        terminalreporter.write_line(
            f"security probes: isolation {total['isolation']}, unpublished content {total['unpublished']}, "
            f"pages scanned for personal data {total['personal-data']}, log and mail texts scanned "
            f"{total['personal-data-texts']}; answered with data: {total['answered-with-data']}")
