"""portal_tags filters that stand in for Django's general ones on hot pages: same output."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template

VALUES: list[Any] = [
    dt.datetime(2024, 3, 1, 15, 59, tzinfo=dt.UTC),  # 23:59 in Beijing
    dt.datetime(2024, 3, 1, 16, 0, tzinfo=dt.UTC),  # the next day in Beijing
    dt.datetime(2019, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    dt.date(2008, 1, 9), dt.datetime(1999, 1, 1, 0, 0, tzinfo=dt.UTC), None, "", "not a date",
]


@pytest.mark.parametrize("value", VALUES)
def test_ymd_is_what_the_date_filter_gives(value: Any) -> None:
    context = {"v": value}
    general = Template('{{ v|date:"Y-m-d" }}|{{ v|date:"Y-m-d"|default:"—" }}').render(Context(context))
    ours = Template('{% load portal_tags %}{{ v|ymd }}|{{ v|ymd|default:"—" }}').render(Context(context))
    assert ours == general
