"""The statutory annual-report formats (年度报告格式), read from ``formats/*.json``.

One loader that computing, checking, rendering and (later) importing all read. A format is pure data:
its sections, its tables (blocks, a column tree, a row tree with group rows that carry no cells),
its cell types, its accounting identities (勾稽关系), the facts the prose may state, and its charts; and for
computing it from the platform: where each cell's figure comes from (``sources``: figure names that
``reports/sources.py`` answers), which totals its identities give, how each prose section is drafted (a named
drafter or a template), the figures staff enter (``inputs``), the statutory date and the supervisor's key figures.

Formats come in families: the disclosure annual report (``disclosure``: F2019, F2021) and the website annual
report (``website``). Adding a format means adding a JSON file here (or in a directory given to
`add_format_dir`); no code changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Self, cast

CellType = Literal["integer", "signed_integer", "decimal", "text", "boolean"]
CELL_TYPES: tuple[str, ...] = ("integer", "signed_integer", "decimal", "text", "boolean")
NUMERIC_TYPES: frozenset[str] = frozenset({"integer", "signed_integer", "decimal"})
# A prose fact's unit as reports print it (件), read from the format's data.
__i18n_exempt__ = ("ProseFact.unit", "_fact")

DISCLOSURE = "disclosure"  # the family of the statutory disclosure annual report (政府信息公开工作年度报告)


class FormatSpecError(ValueError):
    """A format file that does not describe a consistent format (格式定义错误)."""


_WS_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "、": ".", "．": ".", "。": "."})


def normalise_label(label: str) -> str:
    """A label reduced to what matters for matching: width, spacing, quotes and enumerators unified.

    Real reports write "1、" or "1." or "1．", "(一)" or "（一）", break labels over lines and quote
    with straight or curly marks; all of these compare equal after normalisation.
    """
    text = unicodedata.normalize("NFKC", label)
    text = _WS_RE.sub("", text)
    return text.translate(_QUOTES)


class _Heading:
    """What columns and rows share: a label with its variants, and children for a group heading."""

    label: str
    variants: tuple[str, ...]
    children: tuple[Self, ...]

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def leaves(self) -> Iterator[Self]:
        if self.children:
            for child in self.children:
                yield from child.leaves()
        else:
            yield self

    def walk(self) -> Iterator[Self]:
        yield self
        for child in self.children:
            yield from child.walk()

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def matches(self, label: str) -> bool:
        wanted = normalise_label(label)
        return any(normalise_label(x) == wanted for x in (self.label, *self.variants))


@dataclass(frozen=True)
class Column(_Heading):
    """A column of a table block (表头列); a group column has children and no cells of its own."""

    label: str
    key: str | None = None
    type: CellType = "integer"
    unit: str | None = None
    variants: tuple[str, ...] = ()
    children: tuple[Column, ...] = ()


@dataclass(frozen=True)
class Row(_Heading):
    """A row of a table block (表行); a group row (e.g. （三）不予公开) has children and no cells."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    children: tuple[Row, ...] = ()
    type: CellType | None = None  # the type of the row's cells, where it differs from its columns' (a form's rows)


@dataclass(frozen=True)
class Block:
    """A block of a table: its own header and rows (T2 has one block per 第二十条 item; T3, T4 one each)."""

    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    heading: str | None = None
    corner: str | None = None
    show_row_labels: bool = True
    show_header: bool = True  # False for a form of labels and values (the website annual report)

    @cached_property
    def leaf_columns(self) -> tuple[Column, ...]:
        return tuple(leaf for col in self.columns for leaf in col.leaves())

    @cached_property
    def _column_by_key(self) -> dict[str, Column]:
        found: dict[str, Column] = {}
        for col in self.leaf_columns:
            if col.key is not None:
                found.setdefault(col.key, col)
        return found

    @property
    def data_rows(self) -> tuple[Row, ...]:
        """Rows that carry cells, in printed order."""
        return tuple(leaf for row in self.rows for leaf in row.leaves())

    def all_rows(self) -> Iterator[Row]:
        for row in self.rows:
            yield from row.walk()

    @property
    def header_depth(self) -> int:
        return max(c.depth() for c in self.columns)

    @property
    def label_columns(self) -> int:
        return max(r.depth() for r in self.rows) if self.show_row_labels else 0

    def column(self, key: str) -> Column:
        return self._column_by_key[key]

    def match_column(self, label: str) -> Column | None:
        return next((c for c in self.leaf_columns if c.matches(label)), None)


@dataclass(frozen=True)
class Table:
    """A statutory table (表二、表三、表四)."""

    key: str
    section: str
    title: str
    blocks: tuple[Block, ...]

    @cached_property
    def _row_index(self) -> dict[str, tuple[Row, Block]]:
        """Each row key's first row and its block (formats are read for every cell of every report: the walk is
        done once per table, not once per cell)."""
        index: dict[str, tuple[Row, Block]] = {}
        for block in self.blocks:
            for row in block.all_rows():
                index.setdefault(row.key, (row, block))
        return index

    def block_of(self, row_key: str) -> Block:
        return self._row_index[row_key][1]

    @property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.data_rows)

    def row(self, key: str) -> Row:
        return self._row_index[key][0]

    def columns_of(self, row_key: str) -> tuple[Column, ...]:
        return self.block_of(row_key).leaf_columns

    def has_cell(self, row_key: str, column_key: str) -> bool:
        try:
            row = self.row(row_key)
            return not row.is_group and any(c.key == column_key for c in self.columns_of(row_key))
        except KeyError:
            return False

    def cell_type(self, row_key: str, column_key: str) -> CellType:
        return self.row(row_key).type or self.block_of(row_key).column(column_key).type

    def match_row(self, label: str) -> Row | None:
        """The row a printed label names, tolerating the label variants of real reports."""
        for block in self.blocks:
            for row in block.all_rows():
                if row.matches(label):
                    return row
        return None

    @property
    def width(self) -> int:
        """Columns of the printed grid: row labels plus the widest block's cells."""
        return max(b.label_columns for b in self.blocks) + max(len(b.leaf_columns) for b in self.blocks)


@dataclass(frozen=True)
class Section:
    """One of the six sections (一、总体情况 … 六、其他需要报告的事项)."""

    key: str
    heading: str
    kind: Literal["prose", "table"]
    table: str | None = None
    variants: tuple[str, ...] = ()
    draft: Drafting | None = None  # how compute drafts a prose section; None: staff write it
    show_heading: bool = True

    @property
    def numbered_heading(self) -> str:
        return f"{self.key}、{self.heading}"

    @property
    def editable(self) -> bool:
        """Staff may edit the text of every prose section (tables come from the platform's figures)."""
        return self.kind == "prose"

    def matches(self, heading: str) -> bool:
        wanted = normalise_label(re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", heading.strip()))
        return any(normalise_label(x) == wanted for x in (self.heading, *self.variants))


@dataclass(frozen=True)
class Drafting:
    """How a prose part is drafted: a drafter the code registers by name (``reports/drafting.py``), or a
    template whose ``{…}`` fields name figures (``{org.name}``), cells (``{cell:t1.visits.value}``), ``{year}``,
    ``{organisation}`` or ``{today}``."""

    drafter: str | None = None
    template: str | None = None


Relation = Literal["eq", "ge", "le"]
RELATION_SIGNS: dict[str, str] = {"eq": "=", "ge": "≥", "le": "≤"}


@dataclass(frozen=True)
class Identity:
    """An accounting identity (勾稽关系): Σ lhs = Σ rhs (or ≥, ≤), for each column (rows summed) or each row.

    An equality whose left side is one cell without a source of its own also says how compute fills that cell
    (a total): `derives`.
    """

    id: str
    table: str
    for_each: Literal["column", "row"]
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    statement: str
    only: tuple[str, ...] = ()  # the rows (for_each row) or columns (for_each column) it holds for
    relation: Relation = "eq"

    @property
    def derives(self) -> bool:
        return self.relation == "eq" and len(self.lhs) == 1

    def holds(self, found: Any, expected: Any) -> bool:
        if self.relation == "ge":
            return bool(found >= expected)
        if self.relation == "le":
            return bool(found <= expected)
        return bool(found == expected)


@dataclass(frozen=True)
class CellRef:
    table: str
    row: str
    column: str


@dataclass(frozen=True)
class ProseFact:
    """A figure the prose may state, and the table cells (summed) it must equal."""

    id: str
    label: str
    cells: tuple[CellRef, ...]
    before: str | None = None  # regex for words preceding the number
    after: str | None = None  # regex for words following the number and its unit
    zero: tuple[str, ...] = ()  # regexes of sentences that state the figure is zero
    unit: str = "件"
    breakdown: tuple[ProseFact, ...] = ()
    context: str | None = None  # regex the sentence must match for the figure to be this fact
    # "收到申请22件（含上年结转1件）": a figure followed by `including_after` counts `including_cells` instead
    including_after: str | None = None
    including_cells: tuple[CellRef, ...] = ()


@dataclass(frozen=True)
class ChartBar:
    label: str
    keys: tuple[str, ...]  # rows (or groups) for a column chart, columns for a row chart


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    table: str
    kind: Literal["row", "column"]  # bars along one row, or down one column
    line: str  # that row's or column's key
    bars: tuple[ChartBar, ...]


# A cell's source: a figure name, several (summed; for text the first that is not empty), or a constant.
Source = str | tuple[str, ...] | int | bool


@dataclass(frozen=True)
class InputField:
    """A figure staff enter for a year (人工填报): key (``input.<key>`` in sources), label, type, help."""

    key: str
    label: str
    type: CellType = "integer"
    help: str = ""
    group: str = ""


@dataclass(frozen=True)
class Inputs:
    """The figures a format needs that the platform cannot know.

    ``store``: "staff_figures" (the disclosure report's `StaffFigures` rows, read as ``staff.<field>``) or
    "entered" (the fields listed here, read as ``input.<key>``). ``summary`` names them in the warning
    given while none have been entered.
    """

    store: Literal["staff_figures", "entered"]
    summary: str
    fields: tuple[InputField, ...] = ()

    def field(self, key: str) -> InputField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


@dataclass(frozen=True)
class KeyFigure:
    """A figure the supervisor's dashboard shows for every child's report: the sum of its cells. Editions of one
    family name their key figures alike, so reports in different editions sit in one table."""

    key: str
    label: str
    cells: tuple[CellRef, ...]


@dataclass(frozen=True)
class Deadline:
    """The statutory date of a report on year Y: a month and day of Y + 1, by kind of organisation."""

    default: tuple[int, int]
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelRules:
    """How printed labels are compared (data in the format file): characters that never matter
    (punctuation, brackets) and the enumerators a label may start with ("一、", "（三）", "1.")."""

    ignore_characters: str = ""
    enumerators: tuple[str, ...] = ()

    def key(self, label: str, *, strip_enumerator: bool = False) -> str:
        """`label` reduced for comparison: width folded, spacing and ignored characters removed, and
        with ``strip_enumerator`` its leading enumerators too ("三、（三）1.属于国家秘密" → "属于国家秘密")."""
        return _label_key(self, label, strip_enumerator)

    def _key(self, label: str, strip_enumerator: bool) -> str:
        text = _WS_RE.sub("", unicodedata.normalize("NFKC", label))
        if strip_enumerator:
            changed = True
            while changed and text:
                changed = False
                for pattern in self.enumerators:
                    stripped = re.sub(pattern, "", text, count=1)
                    if stripped != text:
                        text, changed = stripped, True
        return text.translate(_ignored(self.ignore_characters))


@lru_cache(maxsize=65536)
def _label_key(rules: LabelRules, label: str, strip_enumerator: bool) -> str:
    return rules._key(label, strip_enumerator)


@cache
def _ignored(characters: str) -> dict[int, None]:
    return dict.fromkeys(ord(ch) for ch in characters + unicodedata.normalize("NFKC", characters))


@dataclass(frozen=True)
class Rule:
    """A plausibility rule (合理性): Σ left (signed) compared with Σ right (signed), per row or column."""

    id: str
    table: str
    for_each: Literal["column", "row"]
    left: tuple[tuple[str, int], ...]
    op: Literal[">=", "<=", "=="]
    right: tuple[tuple[str, int], ...]
    statement: str
    only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chain:
    """A cross-year chain (跨年度衔接): Σ this year's terms == Σ last year's terms, per row or column."""

    id: str
    table: str
    for_each: Literal["column", "row"]
    this: tuple[tuple[str, int], ...]
    previous: tuple[tuple[str, int], ...]
    statement: str
    only: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportFormat:
    """A report format (年度报告格式), e.g. F2019 (国办公开办函〔2019〕60号) or F2021 (〔2021〕30号)."""

    edition: str
    title: str
    source: str
    first_year: int
    last_year: int | None
    report_title: str
    sections: tuple[Section, ...]
    tables: dict[str, Table]
    identities: tuple[Identity, ...]
    prose_facts: tuple[ProseFact, ...]
    enumeration_units: tuple[str, ...]
    approximate_markers: tuple[str, ...]
    charts: tuple[ChartSpec, ...] = field(default=())
    label_rules: LabelRules = field(default=LabelRules())
    placeholders: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    chains: tuple[Chain, ...] = ()
    family: str = DISCLOSURE
    title_lines: tuple[str, ...] = ()  # the printed title, line by line (``{organisation}``, ``{year}``)
    preamble: Drafting | None = None
    sources: dict[str, dict[str, Source | dict[str, Source]]] = field(default_factory=dict)
    inputs: Inputs | None = None
    data_summary: str = ""
    deadline: Deadline | None = None
    dashboard: tuple[KeyFigure, ...] = ()

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def table(self, key: str) -> Table:
        return self.tables[key]

    def title_for(self, organisation: str, year: int) -> str:
        return self.report_title.format(organisation=organisation, year=year)

    def printed_title(self, organisation: str, year: int) -> list[str]:
        """The title as printed on the first page, line by line."""
        lines = self.title_lines or (self.report_title,)
        return [line.format(organisation=organisation, year=year) for line in lines]

    @property
    def computable(self) -> bool:
        """Whether the format says where its figures come from (a format only for reading reports need not)."""
        return bool(self.sources)

    def source_of(self, table: str, row: str, column: str) -> tuple[Source | None, bool]:
        """The source of one cell, and whether it is the row's (a mapping by column, or the one column's value)."""
        by_row = self.sources.get(table, {}).get(row)
        if isinstance(by_row, dict):
            return by_row.get(column), False
        return by_row, by_row is not None

    def deadline_for(self, year: int, organisation_kind: str) -> dt.date | None:
        if self.deadline is None:
            return None
        month, day = self.deadline.by_kind.get(organisation_kind, self.deadline.default)
        return dt.date(year + 1, month, day)

    def match_section(self, heading: str) -> Section | None:
        return next((s for s in self.sections if s.matches(heading)), None)

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


# --- loading -------------------------------------------------------------------------------------------


def _tuple_of_str(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatSpecError(f"{where}: expected a list of strings")
    return tuple(value)


def _column(data: dict[str, Any], default_type: str, where: str) -> Column:
    children = tuple(
        _column(c, default_type, f"{where}.children[{i}]") for i, c in enumerate(data.get("children", []))
    )
    cell_type = data.get("type", default_type)
    if cell_type not in CELL_TYPES:
        raise FormatSpecError(f"{where}.type: unknown cell type {cell_type!r}")
    if not children and not data.get("key"):
        raise FormatSpecError(f"{where}: a leaf column needs a key")
    return Column(
        label=data["label"],
        key=data.get("key"),
        type=cast(CellType, cell_type),
        unit=data.get("unit"),
        variants=_tuple_of_str(data.get("variants"), f"{where}.variants"),
        children=children,
    )


def _cell_type(value: Any, where: str) -> CellType:
    if value not in CELL_TYPES:
        raise FormatSpecError(f"{where}.type: unknown cell type {value!r}")
    return cast(CellType, value)


def _row(data: dict[str, Any], where: str) -> Row:
    children = tuple(_row(c, f"{where}.children[{i}]") for i, c in enumerate(data.get("children", [])))
    if not data.get("key"):
        raise FormatSpecError(f"{where}: a row needs a key")
    return Row(
        key=data["key"],
        label=data["label"],
        children=children,
        variants=_tuple_of_str(data.get("variants"), f"{where}.variants"),
        type=_cell_type(data["type"], where) if "type" in data else None,
    )


def _table(key: str, data: dict[str, Any]) -> Table:
    blocks = []
    for i, b in enumerate(data["blocks"]):
        where = f"tables.{key}.blocks[{i}]"
        default_type = b.get("cell_type", "integer")
        blocks.append(
            Block(
                key=b["key"],
                heading=b.get("heading"),
                corner=b.get("corner"),
                show_row_labels=b.get("show_row_labels", True),
                show_header=b.get("show_header", True),
                columns=tuple(
                    _column(c, default_type, f"{where}.columns[{j}]") for j, c in enumerate(b["columns"])
                ),
                rows=tuple(_row(r, f"{where}.rows[{j}]") for j, r in enumerate(b["rows"])),
            )
        )
    table = Table(key=key, section=data["section"], title=data["title"], blocks=tuple(blocks))
    row_keys = [r.key for b in table.blocks for r in b.all_rows()]
    if len(row_keys) != len(set(row_keys)):
        raise FormatSpecError(f"tables.{key}: row keys must be unique across the table")
    for block in table.blocks:
        col_keys = [c.key for c in block.leaf_columns]
        if len(col_keys) != len(set(col_keys)):
            raise FormatSpecError(f"tables.{key}.{block.key}: column keys must be unique in a block")
    return table


def _cell_refs(raw: Any, where: str, tables: dict[str, Table]) -> list[CellRef]:
    cells = []
    for i, (t, r, c) in enumerate(raw):
        if t not in tables or not tables[t].has_cell(r, c):
            raise FormatSpecError(f"{where}[{i}]: no cell {t}.{r}.{c}")
        cells.append(CellRef(t, r, c))
    return cells


def _fact(data: dict[str, Any], where: str, tables: dict[str, Table]) -> ProseFact:
    cells = _cell_refs(data["cells"], f"{where}.cells", tables)
    including = data.get("including") or {}
    including_cells = _cell_refs(including.get("cells", []), f"{where}.including.cells", tables)
    if not data.get("before") and not data.get("after"):
        raise FormatSpecError(f"{where}: needs 'before' or 'after'")
    for pattern in (
        data.get("before"), data.get("after"), data.get("context"), including.get("after"), *data.get("zero", [])
    ):
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise FormatSpecError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return ProseFact(
        id=data.get("id", data["label"]),
        label=data["label"],
        cells=tuple(cells),
        before=data.get("before"),
        after=data.get("after"),
        zero=_tuple_of_str(data.get("zero"), f"{where}.zero"),
        unit=data.get("unit", "件"),
        context=data.get("context"),
        including_after=including.get("after"),
        including_cells=tuple(including_cells),
        breakdown=tuple(
            _fact(b, f"{where}.breakdown[{i}]", tables) for i, b in enumerate(data.get("breakdown", []))
        ),
    )


def _identity(data: dict[str, Any], tables: dict[str, Table]) -> Identity:
    where = f"identities.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    for_each = data["for_each"]
    lhs, rhs = _tuple_of_str(data["lhs"], f"{where}.lhs"), _tuple_of_str(data["rhs"], f"{where}.rhs")
    only = _tuple_of_str(data.get("rows") if for_each == "row" else data.get("columns"), f"{where}.only")
    if for_each == "column":
        # Summed keys are rows; they must all live in one block so they share its columns.
        blocks = {table.block_of(k).key for k in (*lhs, *rhs)}
        if len(blocks) != 1 or any(table.row(k).is_group for k in (*lhs, *rhs)):
            raise FormatSpecError(f"{where}: lhs/rhs must be data rows of one block")
    elif for_each == "row":
        for row_key in only:
            for col in (*lhs, *rhs):
                if not table.has_cell(row_key, col):
                    raise FormatSpecError(f"{where}: no cell {row_key}.{col}")
    else:
        raise FormatSpecError(f"{where}.for_each: 'column' or 'row'")
    relation = data.get("relation", "eq")
    if relation not in RELATION_SIGNS:
        raise FormatSpecError(f"{where}.relation: 'eq', 'ge' or 'le'")
    for row_key in (*lhs, *rhs) if for_each == "column" else only:
        if any(table.cell_type(row_key, c.key or "") not in NUMERIC_TYPES for c in table.columns_of(row_key)
               if for_each == "column" or c.key in (*lhs, *rhs)):
            raise FormatSpecError(f"{where}: identities sum figures; {row_key} has cells that are not numbers")
    return Identity(
        id=data["id"],
        table=data["table"],
        for_each=for_each,
        lhs=lhs,
        rhs=rhs,
        statement=data.get("statement", ""),
        only=only,
        relation=relation,
    )


def _chart(data: dict[str, Any], tables: dict[str, Table]) -> ChartSpec:
    kind = data["kind"]
    line = data["row"] if kind == "row" else data["column"]
    bars = tuple(
        ChartBar(label=b["label"], keys=tuple(b["columns"] if kind == "row" else b["rows"]))
        for b in data["bars"]
    )
    if data["table"] not in tables:
        raise FormatSpecError(f"charts.{data['key']}: unknown table")
    return ChartSpec(
        key=data["key"], title=data["title"], table=data["table"], kind=kind, line=line, bars=bars
    )


def _terms(value: Any, where: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in value.items()):
        raise FormatSpecError(f"{where}: expected an object of key → coefficient")
    return tuple(value.items())


def _check_terms(table: Table, for_each: str, keys: tuple[str, ...], only: tuple[str, ...], where: str) -> None:
    if for_each == "column":
        for key in keys:
            table.row(key)  # KeyError for an unknown row
    elif for_each == "row":
        for row in only:
            for key in keys:
                if not table.has_cell(row, key):
                    raise FormatSpecError(f"{where}: no cell {row}.{key}")
    else:
        raise FormatSpecError(f"{where}.for_each: 'column' or 'row'")


def _rule(data: dict[str, Any], tables: dict[str, Table]) -> Rule:
    where = f"rules.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    if data["op"] not in (">=", "<=", "=="):
        raise FormatSpecError(f"{where}.op: one of >=, <=, ==")
    left, right = _terms(data["left"], f"{where}.left"), _terms(data.get("right", {}), f"{where}.right")
    only = _tuple_of_str(data.get("rows") if data["for_each"] == "row" else data.get("columns"), f"{where}.only")
    _check_terms(table, data["for_each"], tuple(k for k, _ in (*left, *right)), only, where)
    return Rule(
        id=data["id"], table=data["table"], for_each=data["for_each"], left=left, op=data["op"], right=right,
        statement=data.get("statement", ""), only=only,
    )


def _chain(data: dict[str, Any], tables: dict[str, Table]) -> Chain:
    where = f"chains.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    this, previous = _terms(data["this"], f"{where}.this"), _terms(data["previous"], f"{where}.previous")
    only = _tuple_of_str(data.get("rows") if data["for_each"] == "row" else data.get("columns"), f"{where}.only")
    _check_terms(table, data["for_each"], tuple(k for k, _ in (*this, *previous)), only, where)
    return Chain(
        id=data["id"], table=data["table"], for_each=data["for_each"], this=this, previous=previous,
        statement=data.get("statement", ""), only=only,
    )


def _label_rules(data: Any) -> LabelRules:
    if data is None:
        return LabelRules()
    enumerators = _tuple_of_str(data.get("enumerators"), "label_rules.enumerators")
    for pattern in enumerators:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise FormatSpecError(f"label_rules.enumerators: bad pattern {pattern!r}: {exc}") from exc
    return LabelRules(ignore_characters=str(data.get("ignore_characters", "")), enumerators=enumerators)
def _drafting(data: dict[str, Any], where: str) -> Drafting | None:
    drafter, template = data.get("draft"), data.get("template")
    if drafter is None and template is None:
        return None
    if (drafter is None) == (template is None) or not isinstance(drafter or template, str):
        raise FormatSpecError(f"{where}: give a 'draft' (a drafter's name) or a 'template', not both")
    return Drafting(drafter=drafter, template=template)


def _source(value: Any, where: str) -> Source:
    if isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise FormatSpecError(f"{where}: a figure name, a list of them, or a constant")


def _sources(data: dict[str, Any], tables: dict[str, Table]) -> dict[str, dict[str, Source | dict[str, Source]]]:
    """Where each cell's figure comes from: ``{table: {row: source}}`` (the row's figure is a mapping by column,
    or the value of its block's one column) or ``{table: {row: {column: source}}}``."""
    result: dict[str, dict[str, Source | dict[str, Source]]] = {}
    for table_key, rows in data.items():
        table = tables.get(table_key)
        if table is None or not isinstance(rows, dict):
            raise FormatSpecError(f"sources.{table_key}: unknown table")
        result[table_key] = {}
        for row_key, value in rows.items():
            where = f"sources.{table_key}.{row_key}"
            try:
                row = table.row(row_key)
            except KeyError:
                raise FormatSpecError(f"{where}: unknown row") from None
            if row.is_group:
                raise FormatSpecError(f"{where}: a group row has no cells")
            if isinstance(value, dict):
                for col_key in value:
                    if not table.has_cell(row_key, col_key):
                        raise FormatSpecError(f"{where}.{col_key}: no such cell")
                result[table_key][row_key] = {c: _source(v, f"{where}.{c}") for c, v in value.items()}
            else:
                result[table_key][row_key] = _source(value, where)
    return result


def _inputs(data: dict[str, Any]) -> Inputs:
    store = data.get("store")
    if store not in ("staff_figures", "entered"):
        raise FormatSpecError("inputs.store: 'staff_figures' or 'entered'")
    fields = tuple(
        InputField(key=f["key"], label=f["label"], type=_cell_type(f.get("type", "integer"), f"inputs.{f['key']}"),
                   help=f.get("help", ""), group=f.get("group", ""))
        for f in data.get("fields", [])
    )
    keys = [f.key for f in fields]
    if len(keys) != len(set(keys)):
        raise FormatSpecError("inputs.fields: keys must be unique")
    return Inputs(store=store, summary=data.get("summary", ""), fields=fields)


def _month_day(value: Any, where: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        dt.date(2001, month, day)
    except ValueError:
        raise FormatSpecError(f"{where}: a date of the following year as MM-DD, not {value!r}") from None
    return month, day


def _deadline(data: dict[str, Any]) -> Deadline:
    by_kind = {k: _month_day(v, f"deadline.{k}") for k, v in data.items() if k != "default"}
    return Deadline(default=_month_day(data["default"], "deadline.default"), by_kind=by_kind)


def _key_figure(data: dict[str, Any], tables: dict[str, Table]) -> KeyFigure:
    cells = []
    for i, (t, r, c) in enumerate(data["cells"]):
        if t not in tables or not tables[t].has_cell(r, c):
            raise FormatSpecError(f"dashboard.{data.get('key')}.cells[{i}]: no cell {t}.{r}.{c}")
        cells.append(CellRef(t, r, c))
    return KeyFigure(key=data["key"], label=data["label"], cells=tuple(cells))


def parse_format(data: dict[str, Any]) -> ReportFormat:
    """A format from its JSON description; raises FormatSpecError when it is inconsistent."""
    try:
        tables = {key: _table(key, t) for key, t in data["tables"].items()}
        sections = tuple(
            Section(
                key=s["key"],
                heading=s["heading"],
                kind=s["kind"],
                table=s.get("table"),
                variants=_tuple_of_str(s.get("variants"), f"sections.{s['key']}.variants"),
                draft=_drafting(s, f"sections.{s['key']}"),
                show_heading=s.get("show_heading", True),
            )
            for s in data["sections"]
        )
        for s in sections:
            if s.kind == "table" and s.table not in tables:
                raise FormatSpecError(f"sections.{s.key}: unknown table {s.table!r}")
        identities = tuple(_identity(i, tables) for i in data["identities"])
        ids = [i.id for i in identities]
        if len(ids) != len(set(ids)):
            raise FormatSpecError("identities: ids must be unique")
        years = data["report_years"]
        return ReportFormat(
            edition=str(data["edition"]),
            title=data["title"],
            source=data["source"],
            first_year=int(years["first"]),
            last_year=None if years.get("last") is None else int(years["last"]),
            report_title=data["report_title"],
            sections=sections,
            tables=tables,
            identities=identities,
            prose_facts=tuple(
                _fact(f, f"prose_facts[{i}]", tables) for i, f in enumerate(data.get("prose_facts", []))
            ),
            enumeration_units=_tuple_of_str(data.get("enumeration_units"), "enumeration_units"),
            approximate_markers=_tuple_of_str(data.get("approximate_markers"), "approximate_markers"),
            charts=tuple(_chart(c, tables) for c in data.get("charts", [])),
            label_rules=_label_rules(data.get("label_rules")),
            placeholders=_tuple_of_str(data.get("placeholders"), "placeholders"),
            rules=tuple(_rule(r, tables) for r in data.get("rules", [])),
            chains=tuple(_chain(c, tables) for c in data.get("chains", [])),
            family=str(data.get("family", DISCLOSURE)),
            title_lines=_tuple_of_str(data.get("title_lines"), "title_lines"),
            preamble=_drafting(data.get("preamble") or {}, "preamble"),
            sources=_sources(data.get("sources", {}), tables),
            inputs=_inputs(data["inputs"]) if "inputs" in data else None,
            data_summary=data.get("data_summary", ""),
            deadline=_deadline(data["deadline"]) if "deadline" in data else None,
            dashboard=tuple(_key_figure(k, tables) for k in data.get("dashboard", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, FormatSpecError):
            raise
        raise FormatSpecError(f"format description incomplete or malformed: {exc!r}") from exc


_extra_dirs: list[Path] = []


def add_format_dir(path: str | Path) -> None:
    """Read formats from `path` too (settings.REPORT_FORMAT_DIRS, tests): every ``*.json`` in it or below."""
    directory = Path(path)
    if directory not in _extra_dirs:
        _extra_dirs.append(directory)
        _format_files.cache_clear()
        load_format.cache_clear()


def remove_format_dir(path: str | Path) -> None:
    directory = Path(path)
    if directory in _extra_dirs:
        _extra_dirs.remove(directory)
        _format_files.cache_clear()
        load_format.cache_clear()


def _json_files() -> list[tuple[str, str]]:
    """(where, text) of every format file: those shipped in ``formats/`` (and its subdirectories), then the
    extra directories'."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                walk(child, f"{where}/{child.name}")
            elif child.name.endswith(".json"):
                found.append((f"{where}/{child.name}", child.read_text(encoding="utf-8")))

    walk(resources.files("gongkai.reports").joinpath("formats"), "formats")
    for directory in _extra_dirs:
        for path in sorted(directory.rglob("*.json")):
            found.append((str(path), path.read_text(encoding="utf-8")))
    return found


@cache
def _format_files() -> dict[str, tuple[str, str, str]]:
    """Edition → (family, where, text) of every format file; two files declaring one edition are an error."""
    files: dict[str, tuple[str, str, str]] = {}
    for where, text in _json_files():
        try:
            head = json.loads(text)
            edition, family = str(head["edition"]), str(head.get("family", DISCLOSURE))
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatSpecError(f"{where}: not a format description ({exc})") from exc
        if edition in files:
            raise FormatSpecError(f"{where} and {files[edition][1]} both declare edition {edition!r}")
        files[edition] = (family, where, text)
    return files


def available_editions(family: str | None = DISCLOSURE) -> tuple[str, ...]:
    """The editions of a family (default the disclosure report's: ``("2019", "2021")``); None: every edition."""
    return tuple(sorted(e for e, (f, _w, _t) in _format_files().items() if family is None or f == family))


def families() -> tuple[str, ...]:
    return tuple(sorted({f for f, _w, _t in _format_files().values()}))


@cache
def load_format(edition: str) -> ReportFormat:
    """The format of one edition, e.g. ``load_format("2021")``; KeyError names the editions available."""
    files = _format_files()
    if edition not in files:
        raise KeyError(f"unknown report format {edition!r}; available: {', '.join(available_editions(None))}")
    _family, where, text = files[edition]
    try:
        return parse_format(json.loads(text))
    except FormatSpecError as exc:
        raise FormatSpecError(f"{where}: {exc}") from exc


def format_for_year(year: int, family: str = DISCLOSURE) -> ReportFormat:
    """The format of `family` in force for reports on ``year`` (disclosure: 2019–2020 → F2019; 2021 on → F2021)."""
    for edition in reversed(available_editions(family)):
        fmt = load_format(edition)
        if fmt.applies_to(year):
            return fmt
    raise KeyError(f"no {family} report format covers the year {year}")
