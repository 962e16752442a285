"""Numbers as Chinese text writes them: "3119", "3,119", "三千一百一十九", "两万", "5500余".

`NUMBER` is a regex fragment for one number in either script; `parse_number` reads what it matched. The
annual-report checks read prose figures with it; the public forms' arithmetic question reads answers such as
"十六" or "１６" with `parse_integer_answer`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Chinese numerals are what this module reads.
__i18n_exempt__ = ("_DIGITS", "_SMALL_UNITS", "_BIG_UNITS", "NUMBER")

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = ("万", "亿")

NUMBER = r"(?:\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
"""One number, Arabic (with thousands separators) or Chinese."""


def parse_chinese_integer(text: str) -> int:
    """An integer written in Chinese numerals ("三千一百一十九" → 3119, "十二" → 12, "二〇一九" → 2019)."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS for ch in text):
        raise ValueError(f"not a Chinese number: {text!r}")
    if all(ch in _DIGITS for ch in text):
        # Digit-by-digit form, as in years ("二〇一九").
        return int("".join(str(_DIGITS[ch]) for ch in text))
    above_yi, above_wan, section, digit = 0, 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            # "十二" means 12: a unit with no digit before it counts once.
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch == "万":
            above_wan += (section + (digit or 0) or 1) * 10_000
            section, digit = 0, None
        else:  # 亿
            above_yi += (above_wan + section + (digit or 0) or 1) * 100_000_000
            above_wan, section, digit = 0, 0, None
    return above_yi + above_wan + section + (digit or 0)


def parse_integer_answer(text: str) -> int:
    """A whole number a person typed, in Arabic digits (half- or full-width, optionally negative) or in
    Chinese numerals ("十六", "负三", "两"); ValueError if it is neither."""
    text = "".join(text.split()).translate({ord(c) + 0xFEE0: ord(c) for c in "0123456789-"})
    negative = text[:1] in ("-", "负")
    body = text[1:] if negative else text
    value = int(body) if body.isascii() and body.isdigit() else parse_chinese_integer(body)
    return -value if negative else value


def parse_number(text: str) -> Decimal:
    """A number matched by `NUMBER`, as a Decimal; ValueError if it is none."""
    cleaned = text.replace(",", "").replace("，", "")
    if cleaned and cleaned[0].isdigit():
        try:
            return Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {text!r}") from exc
    return Decimal(parse_chinese_integer(cleaned))


_SPACE_RE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Prose with line breaks and spacing removed, except a single space between two Latin letters or digits.

    Extracted or typed reports break a sentence anywhere ("工作动态\\n\\n87 条"); the space between
    Chinese and a number carries no meaning, but "3 5" must not become "35".
    """

    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""

    return _SPACE_RE.sub(repl, text)
