"""Finding and masking personal data in free text (个人信息): identity numbers, phones, bank cards, e-mail.

Pure functions; the review pre-checks, the log filter and every list that shows an applicant use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Boundaries are "not a digit" rather than \b: Chinese characters count as word characters for \b.
RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)(0\d{2,3}[- ]?[2-9]\d{6,7})(?:[- ]?转?\d{1,5})?(?!\d)")
BANK_CARD_RE = re.compile(r"(?<!\d)((?:\d[ -]?){15,18}\d)(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def resident_id_is_valid(number: str) -> bool:
    """True for an 18-character PRC resident identity number whose check character is right (GB 11643)."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def luhn_is_valid(digits: str) -> bool:
    """The Luhn check used by bank card numbers."""
    digits = re.sub(r"\D", "", digits)
    if not digits:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text: its kind, where it is, and a masked excerpt (never the value itself)."""

    kind: str  # resident_id | mobile | landline | bank_card | email
    start: int
    end: int
    masked: str


KIND_LABELS = {
    "resident_id": "身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
}


def mask_value(value: str, keep_start: int = 3, keep_end: int = 2) -> str:
    """Keep a few characters at each end and star the rest: 110105********1234 style."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else mask_value(value)


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in `text`, in order, without overlaps."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, start: int, end: int, masked: str) -> None:
        if free(start, end):
            taken.append((start, end))
            found.append(Finding(kind, start, end, masked))

    for m in RESIDENT_ID_RE.finditer(text):
        if resident_id_is_valid(m.group(1)):
            add("resident_id", m.start(1), m.end(1), mask_value(m.group(1), 6, 4))
    for m in EMAIL_RE.finditer(text):
        add("email", m.start(), m.end(), mask_email(m.group()))
    for m in BANK_CARD_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and luhn_is_valid(digits):
            add("bank_card", m.start(1), m.end(1), mask_value(digits, 4, 4))
    for m in MOBILE_RE.finditer(text):
        add("mobile", m.start(1), m.end(1), mask_value(re.sub(r"\D", "", m.group(1)), 3, 4))
    for m in LANDLINE_RE.finditer(text):
        add("landline", m.start(1), m.end(1), mask_value(re.sub(r"\D", "", m.group(1)), 4, 2))
    found.sort(key=lambda f: f.start)
    return found


def mask_text(text: str) -> str:
    """`text` with every piece of personal data replaced by its masked form."""
    findings = find_personal_data(text)
    if not findings:
        return text
    parts: list[str] = []
    pos = 0
    for f in findings:
        parts.append(text[pos : f.start])
        parts.append(f.masked)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname stays, the given name goes."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
