"""Turning flat, path-ordered rows into nested trees for the templates (pure functions, no queries)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from gongkai.catalog.models import Column
from gongkai.orgs.models import Organisation

T = TypeVar("T")


@dataclass
class Node(Generic[T]):
    value: T
    children: list[Node[T]] = field(default_factory=list)


def organisation_tree(orgs: Iterable[Organisation]) -> list[Node[Organisation]]:
    """Nest organisations by parent; an organisation whose parent is not in `orgs` becomes a root."""
    nodes = {o.pk: Node(o) for o in orgs}
    roots: list[Node[Organisation]] = []
    for node in nodes.values():
        parent = nodes.get(node.value.parent_id) if node.value.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def column_tree(columns: Iterable[Column]) -> list[Node[Column]]:
    nodes = {c.pk: Node(c) for c in columns}
    roots: list[Node[Column]] = []
    for node in nodes.values():
        parent = nodes.get(node.value.parent_id) if node.value.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def ancestors(column: Column, columns: Iterable[Column]) -> list[Column]:
    """The column's ancestors, outermost first, for breadcrumbs."""
    by_pk = {c.pk: c for c in columns}
    chain: list[Column] = []
    current = by_pk.get(column.parent_id) if column.parent_id else None
    while current is not None and current not in chain:
        chain.insert(0, current)
        current = by_pk.get(current.parent_id) if current.parent_id else None
    return chain
