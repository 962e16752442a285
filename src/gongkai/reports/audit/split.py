"""Splitting figures that a text layer or a crawled page ran together ("640020470" for 64 | 0 | 0 | 2 | 0 | 4 | 70).

A row's printed tokens are cut into exactly as many cells as the row has, each cut a whole number without
leading zeros; a cut is accepted only when it is the one and only cut that satisfies the row's own identities
(总计 = the sum of its parts). Anything else is ambiguous, and nothing is claimed from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_PART_DIGITS = 7  # no cell of tables 三 and 四 needs more
NODE_BUDGET = 30_000  # search steps per row: beyond this, the row is called ambiguous


@dataclass(frozen=True)
class RowIdentity:
    """sum(cells[lhs]) == sum(cells[rhs]), by position in the row."""

    lhs: tuple[int, ...]
    rhs: tuple[int, ...]

    @property
    def last(self) -> int:
        return max((*self.lhs, *self.rhs))


@dataclass(frozen=True)
class Split:
    """The outcome: ``cells`` when exactly one cut works (``None`` otherwise) and how many were found
    (0, 1, or 2 meaning "two or more"; -1 when the search was abandoned)."""

    cells: tuple[str, ...] | None
    solutions: int


def split_runs(tokens: Sequence[str], n_cells: int, identities: Sequence[RowIdentity]) -> Split:
    """Cut `tokens` into `n_cells` cells. A token of digits may become several cells; any other token
    (a placeholder, a decimal, a signed figure) stays one cell. Identities over cells that are not whole
    numbers are not checked (they neither pass nor fail)."""
    tokens = [t for t in tokens if t != ""]
    if len(tokens) == n_cells:
        return Split(tuple(tokens), 1)
    if len(tokens) > n_cells or not tokens:
        return Split(None, 0)
    digits_available = sum(len(t) if t.isdigit() else 1 for t in tokens)
    if digits_available < n_cells:
        return Split(None, 0)
    by_last: dict[int, list[RowIdentity]] = {}
    for ident in identities:
        if ident.last < n_cells:
            by_last.setdefault(ident.last, []).append(ident)

    found: list[tuple[str, ...]] = []
    cells: list[str] = []
    steps = 0

    def holds(ident: RowIdentity) -> bool:
        values = [cells[i] for i in (*ident.lhs, *ident.rhs)]
        if not all(v.isdigit() for v in values):
            return True
        return sum(int(cells[i]) for i in ident.lhs) == sum(int(cells[i]) for i in ident.rhs)

    # An identity whose total comes after its parts bounds them: the parts so far cannot add up to more than
    # the largest figure the digits still unplaced could make for the total.
    totals_after = [
        (ident.lhs[0], ident.rhs) for ident in identities
        if len(ident.lhs) == 1 and ident.lhs[0] < n_cells and all(i < ident.lhs[0] for i in ident.rhs)
    ]
    suffix = [sum(len(t) if t.isdigit() else 1 for t in tokens[i:]) for i in range(len(tokens) + 1)]

    def place(cell: str, chars_left: int) -> bool:
        cells.append(cell)
        index = len(cells) - 1
        if not all(holds(ident) for ident in by_last.get(index, ())):
            return False
        for total_at, parts in totals_after:
            if total_at <= index or index not in parts:
                continue
            digits_for_total = chars_left - (n_cells - index - 2)
            if digits_for_total < 1:
                return False
            partial = sum(int(cells[i]) for i in parts if i <= index and cells[i].isdigit())
            if partial >= 10**digits_for_total:
                return False
        return True

    def search(ti: int, pos: int) -> None:
        nonlocal steps
        steps += 1
        if steps > NODE_BUDGET or len(found) > 1:
            return
        if ti == len(tokens):
            if len(cells) == n_cells:
                found.append(tuple(cells))
            return
        cells_left = n_cells - len(cells)
        tokens_left = len(tokens) - ti
        if cells_left < tokens_left:
            return
        token = tokens[ti]
        if not token.isdigit():
            if pos == 0:
                if place(token, suffix[ti + 1]):
                    search(ti + 1, 0)
                cells.pop()
            return
        rest = token[pos:]
        # The other tokens each need at least one cell; this one may take what remains.
        max_cells_here = cells_left - (tokens_left - 1)
        if max_cells_here < 1:
            return
        for length in range(1, min(MAX_PART_DIGITS, len(rest)) + 1):
            part = rest[:length]
            if length > 1 and part[0] == "0":
                break
            remaining = len(rest) - length
            if remaining and max_cells_here == 1:
                continue  # this token must end in this cell
            if place(part, remaining + suffix[ti + 1]):
                if remaining == 0:
                    search(ti + 1, 0)
                else:
                    search(ti, pos + length)
            cells.pop()

    search(0, 0)
    if steps > NODE_BUDGET:
        return Split(None, -1)
    if len(found) == 1:
        return Split(found[0], 1)
    return Split(None, len(found))
