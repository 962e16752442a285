"""Keyed secrets (密钥摘要): tracking secrets given to the public, and keyed digests of identifiers.

A tracking secret is random (12 characters of an alphabet without 0/O and 1/I, about 60 bits), shown once and
stored only as a keyed HMAC-SHA256 under the site's secret key. Guesses are rate limited, so a keyed hash is
enough; a password hash's deliberate slowness would buy nothing but seconds. The same keyed digest serves
identifiers that must be compared but never stored (an applicant's identity number, a sender's address).

Secrets have one recognisable shape (`XXXX-XXXX-XXXX`), so that mail and log output can mask them
(`core.personal_data.mask_text`). Rotating the secret key invalidates every digest made under the old one.
"""

from __future__ import annotations

import re
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

from .personal_data import fold_width

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
SECRET_RE = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}(?![A-Za-z0-9])")


def new_tracking_secret() -> str:
    """A fresh secret such as `K7QM-3XWD-HT9P`, to show once and keep only as `keyed_digest`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_secret(secret: str) -> str:
    """What the person typed, without spaces, hyphens or full-width forms, in capitals."""
    return re.sub(r"[^A-Z0-9]", "", fold_width(secret).upper())


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` under the secret key, separated by `purpose` ("applications.secret", …)."""
    return salted_hmac(f"gongkai.{purpose}", value, algorithm="sha256").hexdigest()


def secret_digest(purpose: str, secret: str) -> str:
    """The stored form of a tracking secret: the keyed digest of its normalised text."""
    return keyed_digest(purpose, normalise_secret(secret))


def secret_matches(purpose: str, secret: str, stored_digest: str) -> bool:
    """Whether `secret` is the one whose digest was stored (constant time)."""
    return bool(secret and stored_digest) and constant_time_compare(secret_digest(purpose, secret), stored_digest)
