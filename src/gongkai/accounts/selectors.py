"""Reads for staff logins."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User


def accounts_matching(account_field: str, value: str) -> list[User]:
    """The accounts whose `account_field` (username or email) equals `value`, ignoring case; at most two
    (two already mean the value names no single account)."""
    if account_field not in {"username", "email"}:
        raise ValueError(f"cannot match accounts by {account_field!r}")
    model = get_user_model()
    return list(model.objects.filter(**{f"{account_field}__iexact": value}).order_by("pk")[:2])
