from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inspection_builders import make_org

from gongkai.orgs.models import Organisation


@pytest.fixture
def org(db: None) -> Organisation:
    return make_org("tstj", "测试县科学技术局", kind="department")
