from __future__ import annotations

import pytest

from gongkai.orgs.models import Organisation
from tests.inspection.factories import make_org


@pytest.fixture
def org(db: None) -> Organisation:
    return make_org("tstj", "测试县科学技术局", kind="department")
