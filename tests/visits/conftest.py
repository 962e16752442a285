from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gongkai.visits.buffer import BUFFER
from tests.visits.factories import build_site


@pytest.fixture(autouse=True)
def empty_buffer() -> Iterator[None]:
    """Each test starts and ends with nothing buffered (other tests' page views stay in the process buffer)."""
    BUFFER.reset()
    yield
    BUFFER.reset()


@pytest.fixture
def site(db: None) -> dict[str, Any]:
    return build_site()
