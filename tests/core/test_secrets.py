"""Keyed secrets: one shape, one digest, typed leniently, compared in constant time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.masking import mask_output
from gongkai.core.secrets import SECRET_RE, keyed_digest, new_tracking_secret, secret_digest, secret_matches


def test_secrets_have_one_readable_shape() -> None:
    seen = {new_tracking_secret() for _ in range(200)}
    assert len(seen) == 200
    for secret in seen:
        assert SECRET_RE.fullmatch(secret) and not set(secret) & set("01IO")


def test_typed_variants_match_and_others_do_not() -> None:
    secret = new_tracking_secret()
    stored = secret_digest("letters", secret)
    for typed in (secret, secret.lower(), secret.replace("-", " "), secret.replace("-", "").translate(
            {ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"})):
        assert secret_matches("letters", typed, stored)
    assert not secret_matches("applications", secret, stored)  # another purpose, another key
    assert not secret_matches("letters", "", stored) and not secret_matches("letters", secret, "")


def test_digests_depend_on_purpose_and_value() -> None:
    assert keyed_digest("a", "x") != keyed_digest("b", "x") != keyed_digest("a", "y")
    assert len(keyed_digest("a", "x")) == 64


@given(st.text(max_size=40))
def test_masking_never_leaves_a_secret(prefix: str) -> None:
    secret = new_tracking_secret()
    assert secret not in mask_output(f"{prefix} {secret} ")
