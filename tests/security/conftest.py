"""The security suite's world and its probe counts.

The world is the demo city (`gongkai demo`), built once per module inside a transaction rolled back afterwards.
Every probe is counted; the counts are written per worker and summed at the end of the run (docs/security.md).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.conftest import SECURITY_COUNTS

_counts: Counter[str] = Counter()


def count(kind: str, n: int = 1) -> None:
    """Record `n` probes of `kind` (isolation, unpublished, personal-data, answered-with-data)."""
    _counts[kind] += n


@pytest.fixture(scope="module")
def demo_city(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _counts:
        SECURITY_COUNTS.mkdir(parents=True, exist_ok=True)
        worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
        (SECURITY_COUNTS / f"{worker}.json").write_text(json.dumps(_counts))
