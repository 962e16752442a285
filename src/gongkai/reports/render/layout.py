"""The printed grid of a statutory table, derived from its format: every renderer draws from this.

A table becomes rows of `GridCell`s with rowspan/colspan, as the format draws it: block headings across
the full width (第二十条第（一）项), a header built from the column tree (T3's three header rows, T4's two
levels), row labels from the row tree (group rows such as 三、本年度办理结果 span their children).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from gongkai.reports.document import Cell, ReportDocument
from gongkai.reports.spec import Block, Column, Row, Table

# A cell of a statutory table prints as the format prescribes (是/否 included), whatever the interface's language.
__i18n_exempt__ = ("format_value",)

CellKind = Literal["block", "corner", "column", "row_label", "value"]


@dataclass(frozen=True)
class GridCell:
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # the column key (value cells) or row key (row labels)

    @property
    def is_header(self) -> bool:
        return self.kind in ("block", "corner", "column", "row_label")


Grid = list[list[GridCell]]


def format_value(value: Cell | None) -> str:
    """A cell as printed: integers plain, decimals without exponent or trailing zeros, yes/no as 是/否, text as
    it is; absent → empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _header(block: Block, label_cols: int, extra: int) -> Grid:
    if not block.show_header:
        return []
    depth = block.header_depth
    rows: Grid = [[] for _ in range(depth)]
    if label_cols:
        rows[0].append(GridCell(block.corner or "", "corner", rowspan=depth, colspan=label_cols))

    def place(col: Column, level: int, stretch: int) -> None:
        span = sum(1 for _ in col.leaves()) + stretch
        rowspan = 1 if col.is_group else depth - level
        rows[level].append(GridCell(col.label, "column", rowspan=rowspan, colspan=span, key=col.key))
        for child in col.children:
            place(child, level + 1, 0)

    for i, col in enumerate(block.columns):
        last_leaf = i == len(block.columns) - 1 and not col.is_group
        place(col, 0, extra if last_leaf else 0)
    return rows


def _body(block: Block, label_cols: int, extra: int, values: dict[str, dict[str, Cell]] | None) -> Grid:
    rows: Grid = []
    leaves = block.leaf_columns

    def visit(row: Row, depth: int, pending: list[GridCell]) -> None:
        if row.is_group:
            span = sum(1 for _ in row.leaves())
            group_cell = GridCell(row.label, "row_label", rowspan=span, key=row.key)
            for i, child in enumerate(row.children):
                visit(child, depth + 1, [*pending, group_cell] if i == 0 else [])
            return
        cells = list(pending)
        if label_cols:
            cells.append(GridCell(row.label, "row_label", colspan=label_cols - depth, key=row.key))
        row_values = (values or {}).get(row.key, {})
        for j, col in enumerate(leaves):
            span = 1 + (extra if j == len(leaves) - 1 else 0)
            cells.append(
                GridCell(format_value(row_values.get(col.key or "")), "value", colspan=span, key=col.key)
            )
        rows.append(cells)

    for row in block.rows:
        visit(row, 0, [])
    return rows


def table_grid(table: Table, values: dict[str, dict[str, Cell]] | None = None) -> Grid:
    """The whole printed grid of ``table`` filled with ``values`` (rows absent from values stay empty)."""
    width = table.width
    label_cols = max(b.label_columns for b in table.blocks)
    grid: Grid = []
    for block in table.blocks:
        # A block narrower than the table (F2021 T2 第（五）项) stretches its last column, as forms do.
        extra = width - label_cols - len(block.leaf_columns)
        if block.heading:
            grid.append([GridCell(block.heading, "block", colspan=width)])
        grid.extend(_header(block, label_cols, extra))
        grid.extend(_body(block, label_cols, extra, values))
    return grid


def report_grid(report: ReportDocument, table_key: str) -> Grid:
    return table_grid(report.format.table(table_key), report.tables.get(table_key))


def positioned(grid: Grid) -> list[tuple[int, int, GridCell]]:
    """Each cell with its (row, column) origin in the full rectangle, skipping slots taken by spans."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, cells in enumerate(grid):
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


def leaf_row_paths(block: Block) -> list[tuple[Row, list[str]]]:
    """Each data row with the labels of its groups, outermost first (for flat renderings like Markdown)."""
    out: list[tuple[Row, list[str]]] = []

    def visit(row: Row, path: list[str]) -> None:
        if row.is_group:
            for child in row.children:
                visit(child, [*path, row.label])
        else:
            out.append((row, [*path, row.label]))

    for row in block.rows:
        visit(row, [])
    return out


def leaf_column_paths(block: Block) -> list[tuple[Column, list[str]]]:
    out: list[tuple[Column, list[str]]] = []

    def visit(col: Column, path: list[str]) -> None:
        if col.is_group:
            for child in col.children:
                visit(child, [*path, col.label])
        else:
            out.append((col, [*path, col.label]))

    for col in block.columns:
        visit(col, [])
    return out
