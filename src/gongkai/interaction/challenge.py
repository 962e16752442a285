"""A simple challenge for public forms that needs no third-party service (人机验证).

Three layers, each cheap for a person and annoying for a script:
- an arithmetic question written in Chinese numerals ("三加五等于几？"); the signed token carries only a keyed
  hash of the answer, never the numbers, so it cannot be read off the form;
- a time-based honeypot: a form sent back sooner than `GONGKAI_FORM_MIN_SECONDS` (default 3) after it was
  served was not filled in by a person; a token older than two hours has expired;
- a hidden field (`website`) that people never see and bots fill in.

A challenge is good for one answer: its nonce is spent by the first attempt that reaches the answer (right or
wrong), so a solved challenge cannot be replayed to post again, nor a question be guessed by trying every sum.
The form that failed shows a new question.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from gongkai.core import ratelimit
from gongkai.core.cnnum import parse_integer_answer

SALT = "gongkai.interaction.challenge"
MAX_AGE_SECONDS = 2 * 60 * 60
# The question writes its numbers in Chinese numerals on purpose (a script reading digits fails it).
__i18n_exempt__ = ("_DIGITS", "_numeral")

_DIGITS = "零一二三四五六七八九"


def _numeral(n: int) -> str:
    """0–20 in Chinese numerals: 七, 十, 十二, 二十."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])


def min_seconds() -> float:
    return float(getattr(settings, "GONGKAI_FORM_MIN_SECONDS", 3))


def _answer_hash(answer: int, nonce: str) -> str:
    key = (settings.SECRET_KEY + SALT).encode()
    return hmac.new(key, f"{answer}:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def new_challenge(*, now: float | None = None, rng: random.Random | None = None) -> Challenge:
    rng = rng or random.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    if rng.random() < 0.5 or a == b:
        question, answer = gettext("%(a)s加%(b)s等于几？") % {"a": _numeral(a), "b": _numeral(b)}, a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = gettext("%(a)s减%(b)s等于几？") % {"a": _numeral(a), "b": _numeral(b)}, a - b
    nonce = secrets.token_hex(8)
    issued = int(now if now is not None else time.time())
    token = signing.dumps({"h": _answer_hash(answer, nonce), "n": nonce, "t": issued}, salt=SALT, compress=True)
    return Challenge(question, token)


def verify(token: str, answer: str, honeypot: str = "", *, now: float | None = None) -> None:
    """Raise ValidationError with a message a person understands unless the challenge was met."""
    now = now if now is not None else time.time()
    if honeypot.strip():
        raise ValidationError(gettext("提交未通过校验，请刷新页面后重新提交。"), code="honeypot")
    try:
        data = signing.loads(token or "", salt=SALT)
        issued, nonce, expected = int(data["t"]), str(data["n"]), str(data["h"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(gettext("验证信息无效，请刷新页面后重新回答验证问题。"), code="token") from None
    if now - issued > MAX_AGE_SECONDS:
        raise ValidationError(gettext("页面停留时间过长，验证问题已过期，请回答新的验证问题后提交。"), code="expired")
    if now - issued < min_seconds():
        raise ValidationError(gettext("提交过快，请稍候几秒再提交。"), code="too_fast")
    if not ratelimit.first_use("challenge", nonce, issued + MAX_AGE_SECONDS):
        raise ValidationError(gettext("该验证问题已使用过，请回答页面上的新验证问题后提交。"), code="used")
    try:
        given = parse_integer_answer(answer or "")
    except ValueError:
        raise ValidationError(gettext("请用数字填写验证问题的答案，如 16 或 十六。"), code="answer") from None
    if not hmac.compare_digest(_answer_hash(given, nonce), expected):
        raise ValidationError(gettext("验证问题回答错误，请重新计算后填写。"), code="answer")
