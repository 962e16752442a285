"""The security suite's world and its probe counts.

The world is the demo city (`gongkai demo`), loaded for each module by the `demo_city` fixture (tests/conftest.py).
Every probe is counted; the counts are written per worker and summed at the end of the run (docs/security.md).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.conftest import SECURITY_COUNTS

_counts: Counter[str] = Counter()


def count(kind: str, n: int = 1) -> None:
    """Record `n` probes of `kind` (isolation, unpublished, personal-data, answered-with-data)."""
    _counts[kind] += n


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _counts:
        SECURITY_COUNTS.mkdir(parents=True, exist_ok=True)
        worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
        (SECURITY_COUNTS / f"{worker}.json").write_text(json.dumps(_counts))
