"""What a change made public (公开内容变更), told after commit to whoever listens.

`public_content_changed()` (core.services) says only *that* the public site changed, which is all the page
cache needs. Static publishing (portal.static_site) must know *what* changed to rewrite just those pages, so
the services that publish, edit or withdraw also call `touched(kind, pk)` in their transaction. The changes
of one transaction are gathered and handed to the registered listeners once, after it commits; a rolled-back
transaction tells nobody. Listeners sit above core (a registry, so that core imports none of ours) and must
be quick: they queue work, they do not do it.

A change that becomes visible later than its commit (an item scheduled to go live) passes `at`: listeners
are told the moment, and queue their work for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@dataclass(frozen=True)
class Change:
    """One public thing that changed, and for a change that shows only later, when: an item ("item", its id),
    or an organisation's structure, duty lists or annual reports ("organisation", "duties", "report", the
    organisation's id)."""

    kind: str
    pk: int
    at: dt.datetime | None = None


Listener = Callable[[list[Change]], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


class _Pending:
    """The changes of one transaction, handed on by the one on_commit callback that holds them."""

    def __init__(self) -> None:
        self.changes: dict[Change, None] = {}

    def __call__(self) -> None:
        changes = list(self.changes)
        for listener in list(_listeners):
            listener(changes)


def touched(kind: str, pk: int, *, at: dt.datetime | None = None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record, inside the changing transaction, that the public object `kind`/`pk` changed."""
    if not _listeners:
        return
    connection = connections[using]
    pending = None
    if connection.in_atomic_block:
        # One callback per transaction (per savepoint, so that rolling one back forgets its changes): a bulk
        # publication hands its thousands of changes on at once.
        savepoints = set(connection.savepoint_ids)
        pending = next((entry[1] for entry in connection.run_on_commit
                        if isinstance(entry[1], _Pending) and entry[0] == savepoints), None)
    if pending is None:
        pending = _Pending()
        pending.changes[Change(kind, pk, at)] = None
        transaction.on_commit(pending, using=using)  # outside a transaction: called at once
        return
    pending.changes[Change(kind, pk, at)] = None
