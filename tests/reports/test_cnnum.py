from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.cnnum import parse_chinese_integer, parse_number, squeeze

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """A plain reference writer (below 10^8) to test the reader against."""
    if n == 0:
        return "零"

    def below_10k(m: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = m // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low)
    text = below_10k(high) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10k(low)
    return text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_integers_read_back(n: int) -> None:
    assert parse_chinese_integer(to_chinese(n)) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("两万", 20000),
        ("二〇一九", 2019),
        ("三亿零五万", 300050000),
    ],
)
def test_common_forms(text: str, value: int) -> None:
    assert parse_chinese_integer(text) == value


def test_arabic_numbers_with_separators() -> None:
    assert parse_number("3,119") == 3119
    assert parse_number("96171.6") == Decimal("96171.6")
    with pytest.raises(ValueError):
        parse_chinese_integer("三x")


def test_squeeze_drops_breaks_but_keeps_numbers_apart() -> None:
    assert squeeze("工作动态\n\n87 条、共 324 条") == "工作动态87条、共324条"
    assert squeeze("3 5") == "3 5"
