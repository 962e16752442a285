from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.portal.factories import build_site


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(db: None, media_root: Path) -> dict[str, Any]:
    return build_site()
