from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.document import ReportDocument, load_report

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed_2019.json"
HUAIAN = FIXTURES / "huaian_2024.json"


@pytest.fixture
def seed() -> ReportDocument:
    return load_report(SEED)


@pytest.fixture
def huaian() -> ReportDocument:
    return load_report(HUAIAN)
