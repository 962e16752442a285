"""Optimistic locking (乐观锁): the one conflict error and the one version-checked save.

A versioned row has an integer `lock_version`. A form carries the version the user read; the service locks the
row, compares, and refuses the second of two concurrent saves instead of silently merging them:

    lock_version_of(item, expected_version)   # reloads `item` locked; ConflictError when it moved on
    ... change item ...
    save_version(item, "title", "body")       # stores the change and version + 1

Both must run inside the caller's transaction (the lock lasts until it ends).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

M = TypeVar("M", bound=models.Model)


class ConflictError(ValidationError):
    """Somebody else saved the same object since this user opened it; nothing of this save was stored."""

    def __init__(self, message: str | StrPromise | None = None) -> None:
        super().__init__(message or gettext("该内容已被他人修改，您的修改未保存。请刷新页面查看最新内容后再操作。"),
                         code="conflict")


def lock_version_of(
    row: M, expected_version: int | None, *, message: str | StrPromise | None = None,
    queryset: models.QuerySet[M] | None = None,
) -> M:
    """Lock `row` for the rest of the transaction and reload it in place (from `queryset`, e.g. one with
    `select_related`); ConflictError when its version is not `expected_version`. None locks without comparing
    (a step that does not come from an edit form). Returns `row`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_version_of must run inside a transaction")
    source = queryset if queryset is not None else type(row)._default_manager.all()
    row.refresh_from_db(from_queryset=source.select_for_update())
    if expected_version is not None and row.lock_version != expected_version:  # type: ignore[attr-defined]
        raise ConflictError(message)
    return row


def save_version(row: models.Model, *fields: str) -> None:
    """Save `fields` of a row locked by `lock_version_of`, advancing its version by one."""
    row.lock_version += 1  # type: ignore[attr-defined]
    row.save(update_fields=[*fields, "lock_version"] if fields else None)
