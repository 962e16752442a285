"""Finding and masking personal data in free text (个人信息): identity numbers, phones, bank cards, e-mail.

Pure functions; the review pre-checks, the log filter and every list that shows an applicant use them.

The detectors lean towards precision on the numbers government documents are full of (文号、索引号、日期、
金额、流水号): a reviewer who sees false alarms on every item stops reading the findings. So an identity
number needs a real province code, a real past birth date and the right check character (GB 11643-1999); a
bank card needs a card-like first digit and the Luhn check; phones need a real prefix or area code.
Full-width digits (１３８…) are found too: the text is folded to half-width first, character for character,
so positions are positions in the original text.

Identity numbers are also written in groups (110105 19491231 002X, 110105-1949-1231-002X): a space or a hyphen is
accepted only where the number's own parts meet (after the 6-digit region, around the 8-digit birth date, or in
the 6-4-4-4 grouping people use to read it aloud), the same separator throughout. Separators anywhere else, or
mixed, are not taken: that keeps 文号 and table rows of figures out, while the province, date and check-character
tests above still apply to the 18 characters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# First two digits of the administrative division code (GB/T 2260), plus 71/81/82 (Taiwan, Hong Kong, Macao)
# and 83 (residence permits for Taiwan residents).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82", "83",
})
EARLIEST_BIRTH_YEAR = 1900

# Full-width digits, letters and the few symbols numbers and addresses use fold to ASCII, one character for
# one. Full-width punctuation such as "，" is left alone: folded, it would look like a thousands separator.
_FOLDED = "0123456789+-@._%ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_FOLD = {ord(c) + 0xFEE0: ord(c) for c in _FOLDED}
_FOLD[0x3000] = 0x20


def fold_width(text: str) -> str:
    """Full-width digits, letters and + - @ . _ % to ASCII (全角转半角), length-preserving."""
    return text.translate(_FOLD)


# Boundaries are "not a digit/letter" rather than \b: Chinese characters count as word characters for \b,
# so "身份证号110105…" would have no \b before the number. Classes are ASCII on purpose: the text is folded
# to half-width first, and \d would also match digits of other scripts.
RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{16}[0-9Xx])(?![0-9A-Za-z])")
# Grouped: region, birth date, sequence and check character (6-8-4), or 6-4-4-4; one separator, used throughout.
# A group that goes on into more groups ("2019 110105 …", "… 002X 15") belongs to a longer row of figures.
GROUPED_RESIDENT_ID_RE = re.compile(
    r"(?<![0-9A-Za-z-])(?<![0-9][ -])"
    r"([1-9][0-9]{5}(?P<sep>[ -])(?:[0-9]{8}|[0-9]{4}(?P=sep)[0-9]{4})(?P=sep)[0-9]{3}[0-9Xx])"
    r"(?![0-9A-Za-z]|[ -][0-9])"
)

# Money and decimals: "13800000000元", "13812345678.00" are amounts, not phones.
_NOT_AMOUNT = r"(?![0-9]|[.,][0-9]|\s?(?:元|万|亿|%|‰))"
__i18n_exempt__ = ("_NOT_AMOUNT",)  # a pattern
MOBILE_RE = re.compile(
    r"(?<![0-9A-Za-z.¥￥$])(?:(?:\+|00)?86[- ]?)?(1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4})" + _NOT_AMOUNT
)
# Area codes are 010, 02x and 0[3-9]xx; a local number is 7 or 8 digits not starting with 0 or 1.
# The extension (分机) belongs to the finding so that it is masked with the number.
LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z.])"
    r"((?:[(（](?:010|02[0-9]|0[3-9][0-9]{2})[)）]\s?|(?:010|02[0-9]|0[3-9][0-9]{2})[- ]?)"
    r"[2-9][0-9]{2,3}[- ]?[0-9]{4}"
    r"(?:\s?(?:转|-|ext\.?\s?|分机)[0-9]{1,5})?)" + _NOT_AMOUNT
)
# A card number is either one run of 16–19 digits or groups of four separated by a space or dash
# (6222 0212 3456 7890 123); arbitrary separators would let dates and document numbers through.
BANK_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z.])([0-9]{16,19}|[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -]?[0-9]{1,3})?)"
    r"(?![0-9A-Za-z]|[.,][0-9])"
)
# Issuer first digits: 3 (JCB, Amex), 4 (Visa), 5 (Mastercard), 6 (UnionPay 62…), 9 (old domestic 95…).
# Serial numbers that start with a year (2024…) are therefore never cards.
_CARD_FIRST_DIGITS = frozenset("34569")
# The look-behind makes every match start at the beginning of an address: without it a long run of letters
# would be rescanned from each position (quadratic time on hostile input).
EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9-])"
)


def birth_date_of(number: str) -> dt.date | None:
    """The birth date encoded in an 18-character identity number, or None if it is not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def resident_id_check_char(first17: str) -> str:
    """The check character (校验码) of GB 11643 for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def resident_id_is_valid(number: str, *, today: dt.date | None = None) -> bool:
    """True for an 18-character PRC resident identity number (居民身份证号码) that could be real.

    The province code must exist, the birth date must be a real date from 1900 up to `today` (default: the
    current date), and the check character must be right.
    """
    number = fold_width(number).upper()
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    if number[:2] not in PROVINCE_CODES:
        return False
    born = birth_date_of(number)
    if born is None or born.year < EARLIEST_BIRTH_YEAR or born > (today or dt.date.today()):
        return False
    return resident_id_check_char(number[:17]) == number[17]


def luhn_is_valid(digits: str) -> bool:
    """The Luhn check (模10算法) used by bank card numbers; separators are ignored."""
    digits = re.sub(r"[^0-9]", "", fold_width(digits))
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


def looks_like_resident_id(number: str) -> bool:
    """18 digits with a province code and a birth date from 1900 to 2099, whatever the check character.

    Such a number with a wrong check digit is a mistyped ID or a serial number, not a bank card; Luhn passes
    one time in ten, so without this test it would be reported as a card.
    """
    born = birth_date_of(number) if len(number) == 18 else None
    return number[:2] in PROVINCE_CODES and born is not None and EARLIEST_BIRTH_YEAR <= born.year < 2100


def bank_card_is_plausible(number: str) -> bool:
    """16–19 digits, a card issuer's first digit, a correct Luhn check digit (银行卡号)."""
    digits = re.sub(r"[^0-9]", "", fold_width(number))
    return (
        16 <= len(digits) <= 19
        and digits[0] in _CARD_FIRST_DIGITS
        and not looks_like_resident_id(digits)
        and luhn_is_valid(digits)
    )


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text: its kind, where it is, and a masked excerpt (never the value itself).

    `start`/`end` index the text that was searched; `masked` is the value with its middle starred.
    """

    kind: str  # resident_id | mobile | landline | bank_card | email
    start: int
    end: int
    masked: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


KINDS = ("resident_id", "bank_card", "email", "mobile", "landline")
KIND_LABELS: dict[str, StrPromise] = {
    "resident_id": gettext_lazy("身份证号码"),
    "mobile": gettext_lazy("手机号码"),
    "landline": gettext_lazy("固定电话"),
    "bank_card": gettext_lazy("银行卡号"),
    "email": gettext_lazy("电子邮箱"),
}


def mask_value(value: str, keep_start: int = 3, keep_end: int = 2) -> str:
    """Keep a few characters at each end and star the rest: 110105********1234 style."""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_email(value: str) -> str:
    """z***@example.com: the first character of the mailbox and the domain stay."""
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else mask_value(value)


def _mask_landline(value: str) -> str:
    # The area code says only which city; the local number and extension are starred but for two digits.
    digits = re.sub(r"[^0-9]", "", value)
    area_len = 3 if digits[:2] in {"01", "02"} else 4
    return digits[:area_len] + "-" + mask_value(digits[area_len:], 0, 2)


def find_personal_data(text: str, *, today: dt.date | None = None) -> list[Finding]:
    """Every piece of personal data in `text`, in order of position, without overlaps.

    Where two detectors claim the same characters the more specific one wins: identity number, then bank
    card, then e-mail, then mobile, then landline.
    """
    folded = fold_width(text)
    candidates: list[Finding] = []
    for pattern in (RESIDENT_ID_RE, GROUPED_RESIDENT_ID_RE):
        for m in pattern.finditer(folded):
            number = re.sub(r"[ -]", "", m.group(1)).upper()
            if resident_id_is_valid(number, today=today):
                candidates.append(Finding("resident_id", m.start(1), m.end(1), mask_value(number, 6, 4)))
    for m in BANK_CARD_RE.finditer(folded):
        if bank_card_is_plausible(m.group(1)):
            digits = re.sub(r"[^0-9]", "", m.group(1))
            candidates.append(Finding("bank_card", m.start(1), m.end(1), mask_value(digits, 4, 4)))
    for m in EMAIL_RE.finditer(folded):
        candidates.append(Finding("email", m.start(), m.end(), mask_email(m.group())))
    for m in MOBILE_RE.finditer(folded):
        digits = re.sub(r"[^0-9]", "", m.group(1))
        candidates.append(Finding("mobile", m.start(1), m.end(1), mask_value(digits, 3, 4)))
    for m in LANDLINE_RE.finditer(folded):
        candidates.append(Finding("landline", m.start(1), m.end(1), _mask_landline(m.group(1))))

    found: list[Finding] = []
    for candidate in candidates:  # already in priority order
        if all(candidate.end <= f.start or candidate.start >= f.end for f in found):
            found.append(candidate)
    found.sort(key=lambda f: f.start)
    return found


def mask_text(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with every piece of personal data replaced by its masked form."""
    if findings is None:
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


def masked_excerpt(
    text: str, start: int, end: int, *, context: int = 12, findings: list[Finding] | None = None
) -> str:
    """`text[start:end]` with up to `context` characters either side, personal data in it masked.

    The window is widened to take in whole any piece of personal data it cuts, so that no digits of a value
    can show at its edges. Line breaks become spaces; "…" marks a cut.
    """
    if findings is None:
        findings = find_personal_data(text)
    lo, hi = max(0, start - context), min(len(text), end + context)
    for f in findings:
        if f.start < hi and f.end > lo:
            lo, hi = min(lo, f.start), max(hi, f.end)
    inside = [
        Finding(f.kind, f.start - lo, f.end - lo, f.masked) for f in findings if f.start >= lo and f.end <= hi
    ]
    excerpt = " ".join(mask_text(text[lo:hi], inside).split())
    return ("…" if lo > 0 else "") + excerpt + ("…" if hi < len(text) else "")


# ---- validation of what a person types about themselves (one rule for every form and service) -------------

# Separators people type inside a phone number, and the ways they write an extension (分机).
_PHONE_SEPARATORS = re.compile(r"[\s()（）\-]")
_PHONE_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)([0-9]{1,6})$", re.IGNORECASE)
_PHONE_DIGITS = re.compile(r"(\+?)([0-9]+)")


def phone_problem(value: str) -> str:
    """Why `value` is not a phone number a person can be called on, in plain Chinese; "" when it is one.

    A shape check, not a directory look-up: 7 to 15 digits (E.164's most), separated as people write them
    (spaces, hyphens, brackets), an optional leading + and extension; a domestic mobile number must be 11
    digits starting 13–19. Landlines of any area code pass, because a number we did not foresee must not be
    refused.
    """
    text = _PHONE_SEPARATORS.sub("", fold_width(value).strip())
    extension = _PHONE_EXTENSION.search(text)
    if extension:
        text = text[: extension.start()]
    match = _PHONE_DIGITS.fullmatch(text)
    if not match:
        return gettext("请填写正确的联系电话：手机号码为11位数字，固定电话请带区号，如 010-12345678。")
    plus, digits = match.groups()
    if not plus and digits.startswith("00"):
        plus, digits = "+", digits[2:]
    if plus and digits.startswith("86"):
        plus, digits = "", digits[2:]
    if not 7 <= len(digits) <= 15:
        return gettext("请填写正确的联系电话：手机号码为11位数字，固定电话请带区号，如 010-12345678。")
    if not plus and digits.startswith("1") and not re.fullmatch(r"1[3-9][0-9]{9}", digits):
        return gettext("手机号码应为11位数字，以13至19开头，请核对。")
    return ""


# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet (no I, O, Z, S, V), the last a check character.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The check character of a unified social credit code for its first 17 characters."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    """True for an 18-character unified social credit code (统一社会信用代码) with the right check character."""
    code = fold_width(code).strip().upper()
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def normalise_identity_number(value: str) -> str:
    """An identity or credit-code number as stored: half-width, without spaces, upper case."""
    return re.sub(r"\s+", "", fold_width(value)).upper()


IDENTITY_NUMBER_MAX = 40


def identity_number_problem(kind: str, value: str, *, today: dt.date | None = None) -> str:
    """Why `value` is not a number of this kind of document, in plain Chinese; "" when it may be one.

    `kind` is "resident_id" (居民身份证), "credit_code" (统一社会信用代码) or anything else (a passport or
    permit: only its length is checked).
    """
    number = normalise_identity_number(value)
    if not number:
        return gettext("请填写证件号码。")
    if kind == "resident_id" and not resident_id_is_valid(number, today=today):
        return gettext("居民身份证号码不正确：应为18位，请检查出生日期和最后一位校验码（可能是X）。")
    if kind == "credit_code" and not credit_code_is_valid(number):
        return gettext("统一社会信用代码不正确：应为18位数字或大写字母，请核对最后一位校验码。")
    if len(number) > IDENTITY_NUMBER_MAX:
        return gettext("证件号码过长，最多40个字符。")
    return ""


def email_problem(value: str) -> str:
    """Why `value` is not an e-mail address, in plain Chinese; "" when it is one (Django's rule)."""
    try:
        validate_email(fold_width(value).strip())
    except ValidationError:
        return gettext("电子邮箱格式不正确，应类似 name@example.com。")
    return ""


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the surname stays, the given name goes."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
